/**
 * planNextSend: the one place a send time is decided. Pure: no database, no clock
 * of its own (`now` is an input). Every rule is written down in docs/schedules.md.
 */
import { Temporal } from "temporal-polyfill";
import { addBusinessDays, closedBecause, dayRules, MAX_DAYS_SEARCHED, type DayRules } from "./calendar";
import { leaveRepeatedHour, minuteString, resolveLocal, wallOf, windowOpening, type Resolved } from "./local-time";
import type { Delay, PlanInput, PlanReason, PlanResult, SendSchedule, Weekday } from "./types";

/** The earliest instant at least `delay` after `from`, not before `now`, inside the schedule in `zone`. */
export function planNextSend(input: PlanInput): PlanResult {
  const { schedule, zone, holidays } = input;
  const rules = dayRules(schedule, holidays);
  const from = Temporal.Instant.fromEpochMilliseconds(input.from.getTime());
  const now = Temporal.Instant.fromEpochMilliseconds(input.now.getTime());
  const reasons: PlanReason[] = [];

  const due = afterDelay(from, input.delay, zone, rules, reasons);
  let start = due.instant;
  if (Temporal.Instant.compare(start, now) < 0) {
    reasons.push({ code: "past_due", due: start.toString() });
    start = now;
  }
  let at: Resolved = start.equals(due.instant) ? due : { instant: start };
  if (schedule !== null) at = fitIntoSchedule(at, zone, rules, schedule, reasons);
  if (at.gapAt) {
    reasons.push({ code: "dst_gap", requested: minuteString(at.gapAt), actual: minuteString(wallOf(at.instant, zone)) });
  }
  return { at: toDate(at.instant), due: toDate(due.instant), zone, reasons };
}

/** "from + delay" in the planning zone, before the schedule and `now` apply. */
function afterDelay(from: Temporal.Instant, delay: Delay, zone: string, rules: DayRules, reasons: PlanReason[]): Resolved {
  if ("until" in delay) {
    const until =
      "instant" in delay.until
        ? { instant: Temporal.Instant.from(delay.until.instant) }
        : untilLocal(Temporal.PlainDateTime.from(delay.until.local), delay.until.zone ?? zone, zone);
    return Temporal.Instant.compare(until.instant, from) > 0 ? until : { instant: from };
  }
  const { amount, unit } = delay;
  if (!Number.isInteger(amount) || amount < 0) throw new RangeError(`invalid delay amount ${amount}`);
  if (amount === 0) return { instant: from };
  switch (unit) {
    case "minutes":
      return { instant: from.add({ minutes: amount }) };
    case "hours":
      return { instant: from.add({ hours: amount }) };
    case "days":
      return resolveLocal(clockReading(from, zone).add({ days: amount }), zone);
    case "business_days": {
      const reading = clockReading(from, zone);
      const { result, countedFrom } = addBusinessDays(reading, amount, rules);
      if (!countedFrom.equals(reading.toPlainTime())) {
        reasons.push({ code: "business_clock", local: minuteString(reading), countedFrom: countedFrom.toString({ smallestUnit: "minute" }) });
      }
      return resolveLocal(result, zone);
    }
  }
}

/** A wall time read in `readIn`; what it shows is only known in the planning zone when that is the same zone. */
function untilLocal(local: Temporal.PlainDateTime, readIn: string, zone: string): Resolved {
  const { firstWall, ...resolved } = resolveLocal(local, readIn);
  return readIn === zone ? { ...resolved, firstWall } : resolved;
}

/** The wall time `from` counts as: the second pass of a repeated hour reads as its end. */
function clockReading(from: Temporal.Instant, zone: string): Temporal.PlainDateTime {
  const left = leaveRepeatedHour(from, zone);
  return left.moved ? wallOf(left.instant, zone) : left.wall;
}

/** leaveRepeatedHour, skipped when the instant is already known to be its wall time's first occurrence. */
function leaveRepeatedHourOf(start: Resolved, zone: string): ReturnType<typeof leaveRepeatedHour> {
  return start.firstWall ? { instant: start.instant, moved: false, wall: start.firstWall } : leaveRepeatedHour(start.instant, zone);
}

/** The first instant >= start on a sending day, not a holiday, inside the window. */
function fitIntoSchedule(
  start: Resolved,
  zone: string,
  rules: DayRules,
  schedule: SendSchedule,
  reasons: PlanReason[],
): Resolved {
  const left = leaveRepeatedHourOf(start, zone);
  let candidate: Resolved = left.moved ? { instant: left.instant } : { ...start, firstWall: left.wall };
  if (left.moved) reasons.push({ code: "repeated_hour", local: minuteString(wallOf(start.instant, zone)) });
  const windowText = { start: schedule.window.start, end: schedule.window.end };
  const opening = (date: Temporal.PlainDate) => windowOpening(date, rules.start, zone);

  for (let i = 0; i < 2 * MAX_DAYS_SEARCHED; i++) {
    const local = candidate.firstWall ?? wallOf(candidate.instant, zone);
    const date = local.toPlainDate();
    const closed = closedBecause(date, rules);
    if (closed?.code === "non_sending_day") {
      reasons.push({ code: "non_sending_day", date: date.toString(), weekday: date.dayOfWeek as Weekday });
      candidate = opening(date.add({ days: 1 }));
    } else if (closed?.code === "holiday") {
      reasons.push({ code: "holiday", date: date.toString(), name: closed.name });
      candidate = opening(date.add({ days: 1 }));
    } else if (Temporal.PlainTime.compare(local.toPlainTime(), rules.start) < 0) {
      reasons.push({ code: "outside_window", local: minuteString(local), side: "before", window: windowText });
      candidate = opening(date);
    } else if (Temporal.PlainTime.compare(local.toPlainTime(), rules.end) > 0) {
      reasons.push({ code: "outside_window", local: minuteString(local), side: "after", window: windowText });
      candidate = opening(date.add({ days: 1 }));
    } else {
      return candidate;
    }
  }
  throw new RangeError("no sending moment found: the holiday calendar closes every day");
}

function toDate(instant: Temporal.Instant): Date {
  return new Date(instant.epochMilliseconds);
}
