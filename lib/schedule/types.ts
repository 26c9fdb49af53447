/** The planner's vocabulary: what a schedule, a delay and a plan are. No logic here. */

/** ISO weekday, as Temporal numbers it: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** A wall-clock time "HH:MM" (24-hour). */
export type TimeOfDay = `${number}:${number}`;

/**
 * When a sequence may send. `null` in its place means "any time".
 * The window is closed: 09:00–17:00 includes 17:00:00 exactly, so a
 * business-day delay can land on the window's last minute (see docs/schedules.md).
 */
export interface SendSchedule {
  /** Sending days; never empty. */
  days: Weekday[];
  /** Same-day window; start < end (no windows across midnight). */
  window: { start: TimeOfDay; end: TimeOfDay };
  /** The sequence's own zone: the clock used when a contact's zone is missing or invalid. */
  timezone: string;
  /** ISO 3166 country whose public holidays are not sending days; null for none. */
  holidayCountry: string | null;
}

export type DelayUnit = "minutes" | "hours" | "days" | "business_days";

/**
 * How long after the previous step (or the enrollment) a step is due.
 * - minutes/hours: elapsed time.
 * - days: calendar days in the planning zone (same wall-clock time).
 * - business_days: the schedule's business clock (see docs/schedules.md).
 * - until.instant: a fixed moment ("2026-12-24T08:00:00Z").
 * - until.local: a wall-clock date-time ("2026-12-24T09:00") in `zone`, or in the
 *   planning zone when `zone` is absent (so each contact gets their own 09:00).
 */
export type Delay =
  | { amount: number; unit: DelayUnit }
  | { until: { instant: string } }
  | { until: { local: string; zone?: string } };

/** Public holidays for one country, looked up by local date "YYYY-MM-DD". */
export interface HolidayCalendar {
  country: string;
  /** The holiday's name on that date, or null. */
  nameOn(date: string): string | null;
}

export interface PlanInput {
  /** When the previous step was sent (or the contact enrolled). */
  from: Date;
  delay: Delay;
  schedule: SendSchedule | null;
  /** The IANA zone whose clock applies: see resolveZone(). */
  zone: string;
  holidays: HolidayCalendar | null;
  /** Nothing is planned before now: a late run sends at the next allowed moment. */
  now: Date;
}

/** Why the planned time differs from "from + delay". Machine codes; the UI phrases them. */
export type PlanReason =
  | { code: "past_due"; due: string }
  /** A business-day delay counted from the window's edge: `from` was outside business hours. */
  | { code: "business_clock"; local: string; countedFrom: string }
  | { code: "repeated_hour"; local: string }
  | { code: "non_sending_day"; date: string; weekday: Weekday }
  | { code: "holiday"; date: string; name: string }
  | { code: "outside_window"; local: string; side: "before" | "after"; window: { start: string; end: string } }
  | { code: "dst_gap"; requested: string; actual: string };

export interface PlanResult {
  /** The planned send time. */
  at: Date;
  /** When the delay alone would have made the step due (before the schedule and `now`). */
  due: Date;
  /** The zone the plan was made in. */
  zone: string;
  reasons: PlanReason[];
}
