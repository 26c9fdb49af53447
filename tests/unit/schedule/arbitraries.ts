/** fast-check generators for the planner's property tests. */
import fc from "fast-check";
import { Temporal } from "temporal-polyfill";
import type { Delay, HolidayCalendar, SendSchedule, Weekday } from "@/lib/schedule/types";

export const ZONES = [
  "America/New_York",
  "Europe/London",
  "Australia/Lord_Howe", // 30-minute DST
  "Asia/Kathmandu", // +05:45
  "Pacific/Apia",
  "Europe/Berlin",
  "Europe/Dublin", // "negative" DST in the tz database
  "America/Santiago", // changes at midnight
  "America/Havana", // changes at midnight
  "America/St_Johns", // -03:30
  "Australia/Adelaide", // +09:30 with DST
  "Pacific/Chatham", // +12:45 with DST
  "Africa/Casablanca", // changes around Ramadan
  "Asia/Tokyo",
  "Pacific/Kiritimati", // +14
  "Pacific/Pago_Pago", // -11
  "UTC",
];

/** Every offset change of 2026–2027 in each zone. */
export const TRANSITIONS: { zone: string; at: number }[] = ZONES.flatMap((zone) => {
  const found: { zone: string; at: number }[] = [];
  let cursor: Temporal.ZonedDateTime | null = Temporal.Instant.from("2026-01-01T00:00:00Z").toZonedDateTimeISO(zone);
  const end = Temporal.Instant.from("2028-01-01T00:00:00Z");
  while ((cursor = cursor.getTimeZoneTransition("next")) && Temporal.Instant.compare(cursor.toInstant(), end) < 0) {
    found.push({ zone, at: cursor.epochMilliseconds });
  }
  return found;
});

const HOUR = 3_600_000;
const YEAR_2026 = Date.UTC(2026, 0, 1);
const YEAR_2028 = Date.UTC(2028, 0, 1);

/** A zone and an instant: mostly within two days of one of its DST changes, sometimes anywhere in 2026–2027. */
export const zoneAndInstant = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -48 * 60, max: 48 * 60 })).map(([t, minutes]) => ({ zone: t.zone, ms: t.at + minutes * 60_000 })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...ZONES), fc.integer({ min: YEAR_2026, max: YEAR_2028 })).map(([zone, ms]) => ({ zone, ms })) },
);

const minuteOfDay = fc.integer({ min: 0, max: 23 * 60 + 59 });
const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}` as `${number}:${number}`;

/** Windows anywhere in the day, including ones inside the small hours where DST happens. */
const windowArb = fc
  .oneof(
    fc.tuple(minuteOfDay, minuteOfDay).filter(([a, b]) => a !== b).map(([a, b]) => [Math.min(a, b), Math.max(a, b)]),
    fc.tuple(fc.integer({ min: 0, max: 180 }), fc.integer({ min: 1, max: 120 })).map(([a, len]) => [a, a + len]),
  )
  .map(([a, b]) => ({ start: hhmm(a), end: hhmm(b) }));

export const scheduleArb: fc.Arbitrary<SendSchedule> = fc.record({
  days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }).map((d) => d as Weekday[]),
  window: windowArb,
  timezone: fc.constant("UTC"),
  holidayCountry: fc.constant(null),
});

/** A made-up calendar (closes dates whose day of month is in the set): cheap, and never closes every day. */
export const holidaysArb: fc.Arbitrary<HolidayCalendar | null> = fc.option(
  fc.uniqueArray(fc.integer({ min: 1, max: 31 }), { maxLength: 5 }).map((daysOfMonth) => ({
    country: "XX",
    nameOn: (date: string) => (daysOfMonth.includes(Number(date.slice(8, 10))) ? `Day ${date.slice(8, 10)}` : null),
  })),
);

export const delayArb: fc.Arbitrary<Delay> = fc.oneof(
  fc.record({ amount: fc.integer({ min: 0, max: 3000 }), unit: fc.constant("minutes" as const) }),
  fc.record({ amount: fc.integer({ min: 0, max: 72 }), unit: fc.constant("hours" as const) }),
  fc.record({ amount: fc.integer({ min: 0, max: 10 }), unit: fc.constantFrom("days" as const, "business_days" as const) }),
  fc.integer({ min: -72, max: 72 }).map((h) => ({ until: { instant: new Date(YEAR_2026 + 400 * 24 * HOUR + h * HOUR).toISOString() } })),
);

/** Minute of the day the clock shows just after a transition. */
function wallMinuteAfter(t: { zone: string; at: number }): number {
  const wall = Temporal.Instant.fromEpochMilliseconds(t.at).toZonedDateTimeISO(t.zone);
  return wall.hour * 60 + wall.minute;
}

/**
 * The dangerous corner, densely: a start a few hours around a DST change (or a day
 * before it, for day delays), every day a sending day, and a window whose edges sit
 * within 90 minutes of the change's wall time, so gaps and repeated hours meet windows.
 */
export const dstCorner = fc
  .record({
    transition: fc.constantFrom(...TRANSITIONS),
    startMinutes: fc.integer({ min: -240, max: 240 }),
    dayBefore: fc.boolean(),
    edges: fc.tuple(fc.integer({ min: -90, max: 90 }), fc.integer({ min: -90, max: 90 })),
    delay: fc.oneof(
      fc.record({ amount: fc.integer({ min: 0, max: 180 }), unit: fc.constant("minutes" as const) }),
      fc.record({ amount: fc.integer({ min: 0, max: 2 }), unit: fc.constantFrom("days" as const, "business_days" as const) }),
    ),
  })
  .map(({ transition, startMinutes, dayBefore, edges, delay }) => {
    const base = wallMinuteAfter(transition);
    const [a, b] = edges.map((e) => Math.min(23 * 60 + 59, Math.max(0, base + e)));
    const start = Math.min(a, b);
    const end = Math.max(a, b) === start ? Math.min(start + 1, 23 * 60 + 59) : Math.max(a, b);
    const schedule: SendSchedule = {
      days: [1, 2, 3, 4, 5, 6, 7],
      window: { start: hhmm(start === end ? start - 1 : start), end: hhmm(end) },
      timezone: "UTC",
      holidayCountry: null,
    };
    return {
      zone: transition.zone,
      ms: transition.at + startMinutes * 60_000 - (dayBefore ? 24 * HOUR : 0),
      delay: delay as Delay,
      schedule,
    };
  });

export { HOUR };
