/** Plain words for schedules and plans; English, like the rest of the UI. */
import { Temporal } from "temporal-polyfill";
import type { PlanReason, PlanResult, SendSchedule, Weekday } from "./types";

const SHORT: Record<Weekday, string> = { 1: "Mon", 2: "Tue", 3: "Wed", 4: "Thu", 5: "Fri", 6: "Sat", 7: "Sun" };
const LONG: Record<Weekday, string> = { 1: "Monday", 2: "Tuesday", 3: "Wednesday", 4: "Thursday", 5: "Friday", 6: "Saturday", 7: "Sunday" };

/** "Mon–Fri", "Mon, Wed, Fri", "every day". */
export function describeDays(days: readonly Weekday[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (sorted.length === 7) return "every day";
  const runs: Weekday[][] = [];
  for (const day of sorted) {
    const run = runs[runs.length - 1];
    if (run && run[run.length - 1] === day - 1) run.push(day);
    else runs.push([day]);
  }
  return runs
    .map((run) => (run.length >= 3 ? `${SHORT[run[0]]}–${SHORT[run[run.length - 1]]}` : run.map((d) => SHORT[d]).join(", ")))
    .join(", ");
}

/** "09:00" -> "9:00". */
function hour(time: string): string {
  return time.replace(/^0(\d)/, "$1");
}

/** "Sends Mon–Fri, 9:00–17:00 in each contact's time zone (Europe/Berlin when unknown)". */
export function describeSchedule(schedule: SendSchedule | null, holidayCountryName?: string): string {
  if (schedule === null) return "Sends at any time of day, every day.";
  const holidays = schedule.holidayCountry ? `, except public holidays in ${holidayCountryName ?? schedule.holidayCountry}` : "";
  return (
    `Sends ${describeDays(schedule.days)}, ${hour(schedule.window.start)}–${hour(schedule.window.end)} ` +
    `in each contact's time zone (${schedule.timezone} when unknown)${holidays}.`
  );
}

/** "Sat 7 Mar 20:00" in the zone given. */
export function formatLocal(at: Date | string, zone: string): string {
  const local = Temporal.Instant.from(typeof at === "string" ? at : at.toISOString()).toZonedDateTimeISO(zone);
  return formatPlain(local.toPlainDateTime());
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function formatPlain(local: Temporal.PlainDateTime): string {
  const time = local.toPlainTime().toString({ smallestUnit: "minute" });
  return `${SHORT[local.dayOfWeek as Weekday]} ${local.day} ${MONTHS[local.month - 1]} ${time}`;
}

/** One reason in words: "Saturday is not a sending day". */
export function describeReason(reason: PlanReason, zone: string): string {
  switch (reason.code) {
    case "past_due":
      return `already due (${formatLocal(reason.due, zone)})`;
    case "business_clock":
      return `${formatPlain(Temporal.PlainDateTime.from(reason.local))} is outside business hours, so business days count from ${reason.countedFrom}`;
    case "repeated_hour":
      return `${timeOf(reason.local)} happens twice that night; the second pass is skipped`;
    case "non_sending_day":
      return `${LONG[reason.weekday]} is not a sending day`;
    case "holiday":
      return `${reason.name} (${reason.date}) is a holiday`;
    case "outside_window":
      return `${formatPlain(Temporal.PlainDateTime.from(reason.local))} is ${reason.side} the ${hour(reason.window.start)}–${hour(reason.window.end)} window`;
    case "dst_gap":
      return `${timeOf(reason.requested)} does not exist that day (clocks go forward)`;
  }
}

function timeOf(local: string): string {
  return Temporal.PlainDateTime.from(local).toPlainTime().toString({ smallestUnit: "minute" });
}

/** "Saturday is not a sending day → Mon 9 Mar 09:00 Europe/Berlin". */
export function explainPlan(plan: Pick<PlanResult, "at" | "zone" | "reasons">): string {
  const when = `${formatLocal(plan.at, plan.zone)} ${plan.zone}`;
  const first = plan.reasons[0];
  return first ? `${capitalize(describeReason(first, plan.zone))} → ${when}` : when;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
