/** Time source for the executor; everything time-based reads `now()`. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that only moves when told to. Tests use it with
 * `LocalExecutor.advance()` so sleeps, wait timeouts and crons are deterministic.
 */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: number | Date = Date.UTC(2025, 0, 1, 9, 0, 0)) {
    this.current = typeof start === "number" ? start : start.getTime();
  }

  now(): number {
    return this.current;
  }

  set(ms: number): void {
    if (!Number.isFinite(ms)) throw new Error(`ManualClock.set: invalid time ${ms}`);
    this.current = ms;
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error(`ManualClock.advance: ms must be >= 0, got ${ms}`);
    this.current += ms;
  }
}

export function isManualClock(clock: Clock): clock is ManualClock {
  return clock instanceof ManualClock;
}
