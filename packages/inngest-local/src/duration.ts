/**
 * Durations as the SDK writes them: `timeStr()` turns sleeps, wait timeouts and
 * cancel timeouts into compound strings like "1d", "2h30m10s" ("m" = minutes).
 * An empty string is what the SDK produces for a zero duration.
 */

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const PART = /(\d+(?:\.\d+)?)\s*(ms|w|d|h|m|s)/y;

/** Milliseconds in a duration string, or undefined if it is not one. */
export function parseDuration(input: string): number | undefined {
  const text = input.trim();
  if (text === "") return 0;
  let total = 0;
  let index = 0;
  while (index < text.length) {
    PART.lastIndex = index;
    const match = PART.exec(text);
    if (!match) return undefined;
    total += Number(match[1]) * UNIT_MS[match[2]];
    index = PART.lastIndex;
    while (text[index] === " ") index++;
  }
  return total;
}

/**
 * When a `Sleep` op ends: its `name` is either a duration (step.sleep) or an
 * ISO date (step.sleepUntil).
 */
export function resolveWakeTime(name: string, now: number): number | undefined {
  const duration = parseDuration(name);
  if (duration !== undefined) return now + duration;
  const at = Date.parse(name);
  return Number.isNaN(at) ? undefined : at;
}

export const DAY_MS = UNIT_MS.d;
