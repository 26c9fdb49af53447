/** Sending days, windows and business days on local dates (no instants here). */
import { Temporal } from "temporal-polyfill";
import { parseTimeOfDay } from "./local-time";
import type { HolidayCalendar, SendSchedule, Weekday } from "../../../../lib/schedule/types";

/** The part of a schedule that decides which local moments may send. */
export interface DayRules {
  days: ReadonlySet<number>;
  start: Temporal.PlainTime;
  end: Temporal.PlainTime;
  holidays: HolidayCalendar | null;
}

const WEEKDAYS: Weekday[] = [1, 2, 3, 4, 5];
const LAST_INSTANT_OF_DAY = Temporal.PlainTime.from("23:59:59.999999999");

/**
 * The rules for a schedule. With no schedule ("any time") business days still
 * need a meaning: Monday to Friday, the whole day, no holidays.
 */
export function dayRules(schedule: SendSchedule | null, holidays: HolidayCalendar | null): DayRules {
  if (schedule === null) {
    return { days: new Set(WEEKDAYS), start: Temporal.PlainTime.from("00:00"), end: LAST_INSTANT_OF_DAY, holidays: null };
  }
  if (schedule.days.length === 0) throw new RangeError("a schedule needs at least one sending day");
  const start = parseTimeOfDay(schedule.window.start);
  const end = parseTimeOfDay(schedule.window.end);
  if (Temporal.PlainTime.compare(start, end) >= 0) throw new RangeError("a window must start before it ends");
  return { days: new Set(schedule.days), start, end, holidays };
}

/** Why a date cannot send, or null when it can. */
export function closedBecause(
  date: Temporal.PlainDate,
  rules: DayRules,
): { code: "non_sending_day" } | { code: "holiday"; name: string } | null {
  if (!rules.days.has(date.dayOfWeek)) return { code: "non_sending_day" };
  const name = rules.holidays?.nameOn(date.toString()) ?? null;
  return name === null ? null : { code: "holiday", name };
}

/** Far more than any real calendar needs; guards against a calendar that closes every day. */
const MAX_DAYS_SEARCHED = 3 * 366;

/** The `n`-th sending date strictly after `date` (n >= 1). */
export function nthSendingDateAfter(date: Temporal.PlainDate, n: number, rules: DayRules): Temporal.PlainDate {
  let current = date;
  let found = 0;
  for (let i = 0; i < MAX_DAYS_SEARCHED + n * 7; i++) {
    current = current.add({ days: 1 });
    if (closedBecause(current, rules) === null && ++found === n) return current;
  }
  throw new RangeError("no sending day found: the holiday calendar closes every day");
}

/**
 * Business days run on a business clock that only ticks inside the window on
 * sending days. A start after hours (or on a closed day) counts as the end of the
 * last business day, so "Friday 20:00 + 1 business day" is Monday 17:00, the same
 * business moment as Tuesday 09:00 but the earlier instant.
 */
export function addBusinessDays(
  local: Temporal.PlainDateTime,
  n: number,
  rules: DayRules,
): { result: Temporal.PlainDateTime; countedFrom: Temporal.PlainTime } {
  const date = local.toPlainDate();
  const open = closedBecause(date, rules) === null;
  const countedFrom = open ? clamp(local.toPlainTime(), rules.start, rules.end) : rules.end;
  return { result: nthSendingDateAfter(date, n, rules).toPlainDateTime(countedFrom), countedFrom };
}

function clamp(time: Temporal.PlainTime, low: Temporal.PlainTime, high: Temporal.PlainTime): Temporal.PlainTime {
  if (Temporal.PlainTime.compare(time, low) < 0) return low;
  if (Temporal.PlainTime.compare(time, high) > 0) return high;
  return time;
}

export { MAX_DAYS_SEARCHED };
