/**
 * When a step is due: the one function every plan, migration and preview
 * computes a send time with. Pure; kept apart so the schedule planner
 * (lib/schedule, business days and windows) replaces its body alone.
 */
import { dueAt } from "../schedule";
import type { VersionStep } from "./plan";

/** The step's delay counted from `anchor` (the last send, or enrollment). */
export function stepDueAt(anchor: Date, step: Pick<VersionStep, "delayAmount" | "delayUnit">): Date {
  return dueAt(anchor, step);
}
