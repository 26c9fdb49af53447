/**
 * migrate(): where one live enrollment goes when a sequence moves from one
 * version to the next. Pure; the preview and the publish both call it, so the
 * plan applied is the plan previewed. The rules (docs/versions.md):
 *  - a contact keeps the step it waits on, by identity, wherever it moved;
 *  - a step inserted (or moved) behind a contact is not sent to it, and is
 *    recorded as passed with that reason;
 *  - a contact waiting on a deleted step moves to the next surviving step
 *    after it, that step's delay counted from the last send; if that time
 *    has passed it is sent at once;
 *  - a changed delay is recomputed from the same anchor (the last send), the
 *    same rule for everyone; overdue means sent at once;
 *  - a changed schedule re-plans the same step in the new window;
 *  - every time is planNextSend's: never before now, never outside the
 *    schedule in the contact's zone;
 *  - content edits need no move: a step's text is read when it is sent;
 *  - with the policy "also send to contacts already past it" (insertedBehind
 *    "send"), a step inserted behind a contact is sent to it next instead:
 *    the contact waits on the first such step (its delay counted from the
 *    last send), then goes on in run order. Steps recorded as passed count
 *    as done (load.ts), so going back never re-sends or un-skips anything.
 */
import { stepDue, type PlanClock, type ScheduleContext } from "./due";
import { lazyDue, markLazy } from "./lazy-due";
import { inRunOrder, waitingStepOf, type EnrollmentState, type VersionStep } from "./plan";

export type MigrationGroup = "unchanged" | "due_changed" | "moved_from_deleted" | "steps_added" | "backfilled";
export type PassReason = "inserted_behind" | "moved_behind";

export type Migration = {
  group: MigrationGroup;
  from: { stepId: string; dueAt: Date } | null;
  to: { stepId: string; dueAt: Date } | null;
  /** The new due time has already passed: the run sends at once. */
  overdue: boolean;
  /** Steps this enrollment will not receive because of the edit, and why. */
  passed: { stepId: string; reason: PassReason }[];
};

/** The documented defaults, and the marketer's one choice: send inserted steps to contacts past them too. */
export type MigrationPolicy = { insertedBehind: "skip" | "send" };
export const DEFAULT_POLICY: MigrationPolicy = { insertedBehind: "skip" };

export function migrate(
  state: EnrollmentState,
  vOld: readonly VersionStep[],
  vNew: readonly VersionStep[],
  policy: MigrationPolicy,
  clock: { now: Date; before: ScheduleContext; after: ScheduleContext; memo?: PlanClock["memo"] },
): Migration {
  const after: PlanClock = { now: clock.now, rules: clock.after, memo: clock.memo };
  const beforeStep = waitingStepOf(state, vOld);
  // Identity: under the new version the reference is the step waited on before.
  // Its due time is planned only once the step is known to be the answer: a
  // backfilled contact waits on an inserted step instead.
  const afterStep = waitingStepOf({ ...state, waitingStepId: beforeStep?.id ?? state.waitingStepId }, vNew);
  // The old due time decides "unchanged" or "rescheduled" for a contact that
  // stays on its step; for one that moves on it is only shown, and the time
  // its run planned serves (one schedule computation less per contact).
  const movesOn = beforeStep !== null && afterStep?.id !== beforeStep.id;
  const from = beforeStep && {
    stepId: beforeStep.id,
    dueAt: movesOn && state.plannedDue ? state.plannedDue : stepDue(state.anchor, beforeStep, state.zone, { now: clock.now, rules: clock.before, memo: clock.memo }).at,
  };
  const newlyPassed = newlyBehind(state, vOld, beforeStep?.id ?? null, vNew, afterStep?.id ?? null);
  const inserted = newlyPassed.filter((p) => p.reason === "inserted_behind");
  if (policy.insertedBehind === "send" && inserted.length > 0) {
    // Back to the first inserted step (run order: newlyBehind lists them in it).
    const first = vNew.find((s) => s.id === inserted[0].stepId)!;
    const due = lazyDue(state.anchor, first, state.zone, after);
    const pending = due.pending;
    return markLazy(
      {
        group: "backfilled",
        from,
        to: due.to,
        get overdue() {
          return pending.overdue();
        },
        passed: newlyPassed.filter((p) => p.reason !== "inserted_behind"),
      },
      pending,
    );
  }
  const passed = newlyPassed;
  // Planned when first read (lazy-due.ts): a contact that stays on its step
  // is planned here, to tell "unchanged" from "rescheduled"; one that moves
  // on only when its time is shown or applied.
  const due = afterStep && lazyDue(state.anchor, afterStep, state.zone, after);
  const to = due && due.to;
  const pending = due && due.pending;

  let group: MigrationGroup;
  if (!from) group = to ? "steps_added" : "unchanged";
  else if (!to || to.stepId !== from.stepId) group = "moved_from_deleted";
  else group = to.dueAt.getTime() === from.dueAt.getTime() ? "unchanged" : "due_changed";
  const migration: Migration = {
    group,
    from,
    to,
    get overdue() {
      return pending !== null && pending.overdue();
    },
    passed,
  };
  return pending ? markLazy(migration, pending) : migration;
}

/** Live, unsent steps before the reference (null: the end) in run order. */
function behind(state: EnrollmentState, steps: readonly VersionStep[], refId: string | null): Set<string> {
  const ids = new Set<string>();
  for (const step of inRunOrder(steps)) {
    if (step.id === refId) break;
    if (!step.deleted && !state.done.has(step.id)) ids.add(step.id);
  }
  return ids;
}

function newlyBehind(
  state: EnrollmentState,
  vOld: readonly VersionStep[],
  oldRef: string | null,
  vNew: readonly VersionStep[],
  newRef: string | null,
): Migration["passed"] {
  const wasBehind = behind(state, vOld, oldRef);
  const liveBefore = new Set(vOld.filter((s) => !s.deleted).map((s) => s.id));
  const passed: Migration["passed"] = [];
  for (const id of behind(state, vNew, newRef)) {
    if (wasBehind.has(id)) continue;
    passed.push({ stepId: id, reason: liveBefore.has(id) ? "moved_behind" : "inserted_behind" });
  }
  return passed;
}
