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

/** What planning needs besides the steps: the time it plans at and the schedule. */
export type PlanClock = { now: Date; rules: ScheduleContext };

export function stepDue(anchor: Date, step: Pick<VersionStep, "delayAmount" | "delayUnit" | "waitUntil">, zone: string, clock: PlanClock): PlanResult {
  return planNextSend({ from: anchor, delay: delayOf(step), schedule: clock.rules.schedule, zone, holidays: clock.rules.holidays, now: clock.now });
}
