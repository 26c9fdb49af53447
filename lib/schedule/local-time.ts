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
  /**
   * The wall time `instant` shows in the zone, when it is already known to be
   * the first occurrence of that wall time (so not in a repeated hour's second
   * pass). Saves converting the instant back: each conversion is a costly
   * Temporal call, and re-planning a large sequence makes millions of them.
   */
  firstWall?: Temporal.PlainDateTime;
}

/** The instant a wall-clock date-time means in `zone` (gap: the jump; overlap: first occurrence). */
export function resolveLocal(local: Temporal.PlainDateTime, zone: string): Resolved {
  const earlier = local.toZonedDateTime(zone, { disambiguation: "earlier" });
  if (Temporal.PlainDateTime.compare(earlier.toPlainDateTime(), local) === 0) {
    // "earlier" is the first occurrence of `local`, which is what it shows.
    return { instant: earlier.toInstant(), firstWall: local };
  }
  // In a gap "earlier" lands before the jump; the next transition is the jump.
  const jump = earlier.getTimeZoneTransition("next");
  if (jump === null) throw new RangeError(`no transition after ${local.toString()} in ${zone}`);
  return { instant: jump.toInstant(), gapAt: local };
}

/**
 * When a window opening at `start` opens on `date` in `zone`: resolveLocal,
 * remembered. Every contact of a sequence in the same zone waits for the same
 * few openings, and a result depends on nothing but its three inputs (the
 * zone rules come with the process's time-zone data, fixed while it runs).
 */
export function windowOpening(date: Temporal.PlainDate, start: Temporal.PlainTime, zone: string): Resolved {
  const key = `${zone} ${date.toString()}T${start.toString()}`;
  let opening = openings.get(key);
  if (!opening) {
    opening = Object.freeze(resolveLocal(date.toPlainDateTime(start), zone));
    if (openings.size >= MAX_OPENINGS) openings.clear();
    openings.set(key, opening);
  }
  return opening;
}

const openings = new Map<string, Readonly<Resolved>>();
const MAX_OPENINGS = 20_000;

/** The wall-clock date-time an instant shows in `zone`. */
export function wallOf(instant: Temporal.Instant, zone: string): Temporal.PlainDateTime {
  return instant.toZonedDateTimeISO(zone).toPlainDateTime();
}

/**
 * An instant in the second pass of a repeated hour (New York 2026-11-01 01:00–02:00
 * EST) moves to where the wall clock catches up with itself (02:00 EST); any other
 * instant stays. Afterwards wall time only ever increases with the instant.
 */
export function leaveRepeatedHour(
  instant: Temporal.Instant,
  zone: string,
): { instant: Temporal.Instant; moved: false; wall: Temporal.PlainDateTime } | { instant: Temporal.Instant; moved: true } {
  const zoned = instant.toZonedDateTimeISO(zone);
  const wall = zoned.toPlainDateTime();
  const first = wall.toZonedDateTime(zone, { disambiguation: "earlier" });
  if (first.epochNanoseconds === zoned.epochNanoseconds) return { instant, moved: false, wall };
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
