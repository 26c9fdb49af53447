/** Local days, for counting a daily cap in a zone. Part of the planner's time-zone arithmetic (docs/schedules.md). */
import { Temporal } from "temporal-polyfill";

/** The local date ("YYYY-MM-DD") an instant falls on in `zone`. */
export function localDay(at: Date, zone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(zone).toPlainDate().toString();
}

/**
 * The first instant of the local day after the one `at` falls on, in `zone`.
 * Temporal's start of day: a day whose midnight does not exist (a DST jump at
 * 00:00) starts when the clocks land.
 */
export function startOfNextLocalDay(at: Date, zone: string): Date {
  const next = Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(zone).toPlainDate().add({ days: 1 });
  return new Date(next.toZonedDateTime({ timeZone: zone }).epochMilliseconds);
}
