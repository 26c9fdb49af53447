/**
 * When a step is due: the one function every plan, migration and preview
 * computes a send time with. It asks the schedule planner (lib/schedule,
 * the only place with time-zone arithmetic): the step's delay after the
 * anchor, never before now, inside the sequence's schedule in the contact's
 * zone.
 */
import { planNextSend } from "../../schedule/plan";
import { delayOf } from "../../schedule/stored";
import type { HolidayCalendar, PlanResult, SendSchedule } from "../../schedule/types";
import type { VersionStep } from "./plan";

/** A sequence's sending rules as a version has them. */
export type ScheduleContext = { schedule: SendSchedule | null; holidays: HolidayCalendar | null };
export const ANY_TIME: ScheduleContext = { schedule: null, holidays: null };

/**
 * What planning needs besides the steps: the time it plans at and the
 * schedule; `memo` lets one preview compute each distinct (anchor, delay,
 * zone, rules) once: the same step under both versions, or contacts sharing
 * an anchor (planNextSend is pure, so a repeat is the same answer).
 */
export type PlanClock = { now: Date; rules: ScheduleContext; memo?: Map<string, PlanResult> };

const rulesIds = new WeakMap<ScheduleContext, number>();
let nextRulesId = 0;
function rulesId(rules: ScheduleContext): number {
  let id = rulesIds.get(rules);
  if (id === undefined) rulesIds.set(rules, (id = nextRulesId++));
  return id;
}

export function stepDue(anchor: Date, step: Pick<VersionStep, "delayAmount" | "delayUnit" | "waitUntil">, zone: string, clock: PlanClock): PlanResult {
  const plan = () => planNextSend({ from: anchor, delay: delayOf(step), schedule: clock.rules.schedule, zone, holidays: clock.rules.holidays, now: clock.now });
  if (!clock.memo) return plan();
  const key = `${anchor.getTime()}|${step.delayAmount}|${step.delayUnit}|${step.waitUntil ?? ""}|${zone}|${clock.now.getTime()}|${rulesId(clock.rules)}`;
  let result = clock.memo.get(key);
  if (!result) clock.memo.set(key, (result = plan()));
  return result;
}
