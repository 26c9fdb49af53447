/**
 * Wall clock <-> instant, with this product's DST rules (docs/schedules.md).
 * Both directions are monotonic, which is what keeps planning monotonic:
 * - a wall time in a gap (02:30 on a spring-forward night) is the moment the
 *   clocks jump (03:00), not Temporal's default of shifting by the gap (03:30);
 * - a wall time that happens twice (01:30 on a fall-back night) is its first
 *   occurrence;
 * - an instant inside the repeated hour's second pass reads as the wall time
 *   the clock had reached before it was turned back (see leaveRepeatedHour).
 */
import { Temporal } from "temporal-polyfill";

export interface Resolved {
  instant: Temporal.Instant;
  /** Set when the wall time asked for did not exist: `instant` is then the end of the gap. */
  gapAt?: Temporal.PlainDateTime;
}

/** The instant a wall-clock date-time means in `zone` (gap: the jump; overlap: first occurrence). */
export function resolveLocal(local: Temporal.PlainDateTime, zone: string): Resolved {
  const earlier = local.toZonedDateTime(zone, { disambiguation: "earlier" });
  if (Temporal.PlainDateTime.compare(earlier.toPlainDateTime(), local) === 0) {
    return { instant: earlier.toInstant() };
  }
  // In a gap "earlier" lands before the jump; the next transition is the jump.
  const jump = earlier.getTimeZoneTransition("next");
  if (jump === null) throw new RangeError(`no transition after ${local.toString()} in ${zone}`);
  return { instant: jump.toInstant(), gapAt: local };
}

/** The wall-clock date-time an instant shows in `zone`. */
export function wallOf(instant: Temporal.Instant, zone: string): Temporal.PlainDateTime {
  return instant.toZonedDateTimeISO(zone).toPlainDateTime();
}

/**
 * An instant in the second pass of a repeated hour (New York 2026-11-01 01:00–02:00
 * EST) moves to where the wall clock catches up with itself (02:00 EST); any other
 * instant stays. Afterwards wall time only ever increases with the instant.
 */
export function leaveRepeatedHour(instant: Temporal.Instant, zone: string): { instant: Temporal.Instant; moved: boolean } {
  const zoned = instant.toZonedDateTimeISO(zone);
  const first = zoned.toPlainDateTime().toZonedDateTime(zone, { disambiguation: "earlier" });
  if (first.epochNanoseconds === zoned.epochNanoseconds) return { instant, moved: false };
  // "previous" is strictly before its receiver: step 1 ns past the transition itself.
  const fallBack = zoned.add({ nanoseconds: 1 }).getTimeZoneTransition("previous");
  if (fallBack === null) throw new RangeError(`no transition before ${zoned.toString()}`);
  const reached = fallBack.subtract({ nanoseconds: 1 }).toPlainDateTime().add({ nanoseconds: 1 });
  return { instant: resolveLocal(reached, zone).instant, moved: true };
}

/** "09:00" -> PlainTime. */
export function parseTimeOfDay(value: string): Temporal.PlainTime {
  return Temporal.PlainTime.from(value);
}

export function minuteString(local: Temporal.PlainDateTime): string {
  return local.toString({ smallestUnit: "minute" });
}
