/** Stored sequence/step fields -> the planner's types. Pure: callers read the rows. */
import { ZStoredSchedule } from "../validations/schedule";
import type { Delay, DelayUnit, SendSchedule } from "./types";

/**
 * The planner's schedule for a sequence row. A stored value that no longer
 * parses (hand-edited JSON) counts as "any time" rather than blocking sends;
 * writes always go through ZStoredSchedule, so this should never happen.
 */
export function scheduleOf(row: { schedule: unknown; timezone: string }): SendSchedule | null {
  if (row.schedule === null || row.schedule === undefined) return null;
  const parsed = ZStoredSchedule.safeParse(row.schedule);
  if (!parsed.success) return null;
  const { days, window, holidayCountry } = parsed.data;
  return { days, window: { start: window.start as SendSchedule["window"]["start"], end: window.end as SendSchedule["window"]["end"] }, timezone: row.timezone, holidayCountry };
}

/** A step's delay: its fixed local date-time when set, else amount and unit. */
export function delayOf(step: { delayAmount: number; delayUnit: DelayUnit; waitUntil?: string | null }): Delay {
  return step.waitUntil ? { until: { local: step.waitUntil } } : { amount: step.delayAmount, unit: step.delayUnit };
}
