/**
 * Where an enrollment is in a sequence, by step identity (never by index):
 * the pure core the run's planner, a version's migration and its preview
 * share. No database here.
 */
import type { DelayUnit } from "../../generated/prisma/enums";
import type { PlanReason } from "../../schedule/types";
import { stepDue, type PlanClock } from "./due";

/** A step as a version holds it; deleted steps stay, so "after it" has a meaning. */
export type VersionStep = {
  id: string;
  position: number;
  /** Milliseconds since the epoch: the tie-break for equal positions. */
  createdAt: number;
  delayAmount: number;
  delayUnit: DelayUnit;
  /** A fixed local date-time to wait until instead of the delay. */
  waitUntil?: string | null;
  deleted: boolean;
};

/** What the database knows about one enrollment's progress. */
export type EnrollmentState = {
  /** The step it waits on, or null (before its first plan, or from before versions). */
  waitingStepId: string | null;
  /** Steps it has a send record for that is not a retryable failure. */
  done: ReadonlySet<string>;
  /** Its delays count from here: the latest send's claim time, or enrollment. */
  anchor: Date;
  /** The zone its schedule is read in (the contact's, or the sequence's: resolveZone). */
  zone: string;
  /** The due time its run planned (Enrollment.nextStepDueAt), when known: shown for a contact that moves on. */
  plannedDue?: Date | null;
};

/**
 * `dueAt`: when to send (the delay after the anchor, not before the clock's
 * now, inside the schedule). `due`: when the delay alone ends. `reasons`:
 * why they differ (lib/schedule's codes).
 */
export type Waiting = { step: VersionStep; dueAt: Date; due: Date; reasons: PlanReason[] };

/** Steps in run order: position, then creation, then id (total, stable). */
export function inRunOrder(steps: readonly VersionStep[]): VersionStep[] {
  return [...steps].sort((a, b) => a.position - b.position || a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The step the enrollment waits on under `steps`, and when it is due, or
 * null when nothing is left. The reference is the waiting step: if it is
 * live and not done it is the answer; otherwise
 * the first live, not-done step after it in run order. Steps before the
 * reference are behind the contact and never chosen.
 */
export function waitingStep(state: EnrollmentState, steps: readonly VersionStep[], clock: PlanClock): Waiting | null {
  const step = waitingStepOf(state, steps);
  if (!step) return null;
  const { at, due, reasons } = stepDue(state.anchor, step, state.zone, clock);
  return { step, dueAt: at, due, reasons };
}

/** waitingStep's step alone, without its due time. */
export function waitingStepOf(state: EnrollmentState, steps: readonly VersionStep[]): VersionStep | null {
  const ordered = inRunOrder(steps);
  // No recorded step (enrolled, or in flight since before versions): the
  // first live unsent step, as runs always chose it before.
  const refId = state.waitingStepId;
  const refIndex = refId === null ? -1 : ordered.findIndex((s) => s.id === refId);
  // A reference this version does not know (not expected: steps are only soft-deleted) starts over.
  const from = refIndex === -1 ? 0 : refIndex;
  for (let i = from; i < ordered.length; i++) {
    const step = ordered[i];
    if (!step.deleted && !state.done.has(step.id)) return step;
  }
  return null;
}
