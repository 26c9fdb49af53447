import { evaluateCel, celKeyString, formatValue } from "./cel";
import { DAY_MS, parseDuration } from "./duration";
import type { FunctionConfig, StoredEvent } from "./types";

/**
 * Run-start flow control as the real server does it: `rateLimit` (and
 * `idempotency`, which the server turns into a rate limit) drops starts;
 * `throttle` delays them. Both are GCRA (generic cell rate algorithm), not
 * fixed windows.
 */

/**
 * GCRA state per key: the theoretical arrival time (tat) of the next request,
 * as the server's Lua scripts keep it (ratelimit/lua/ratelimit.lua,
 * constraintapi/lua/helper/gcra.lua). With `emission = period / limit`, a
 * request is admitted when its remaining capacity is positive, which works
 * out to `tat - now <= emission * burst`; admitting moves tat to
 * `max(tat, now) + emission`. So `burst + 1` requests pass at once, then one
 * per `emission`.
 */
export class Gcra {
  private readonly tat = new Map<string, number>();

  /** When a request under `key` would be admitted (now, or later). */
  admitAt(key: string, now: number, rate: GcraRate): number {
    const { emission, burst } = shape(rate);
    const tat = this.tat.get(key) ?? now;
    return Math.max(now, tat - emission * burst);
  }

  /** Admits a request now if it may pass; false if it may not (nothing is consumed). */
  take(key: string, now: number, rate: GcraRate): boolean {
    if (this.admitAt(key, now, rate) > now) return false;
    const { emission } = shape(rate);
    this.tat.set(key, Math.max(this.tat.get(key) ?? now, now) + emission);
    return true;
  }
}

export interface GcraRate {
  periodMs: number;
  limit: number;
  burst: number;
}

function shape({ periodMs, limit, burst }: GcraRate): { emission: number; burst: number } {
  // "Ensure limit is always >= 1" (both scripts).
  return { emission: periodMs / Math.max(limit, 1), burst: Math.max(burst, 0) };
}

// ---------------------------------------------------------------- rateLimit

export interface RateLimitConfig {
  limit: number;
  periodMs: number;
  key?: string;
}

/**
 * The rate limit a function's starts are under. `idempotency` becomes
 * `{limit: 1, period: 24h, key}` and REPLACES any `rateLimit`
 * (pkg/sdk/function.go:95-101; the sync warns about it, validate.ts).
 */
export function rateLimitOf(fn: FunctionConfig): RateLimitConfig | undefined {
  if (fn.idempotency) return { limit: 1, periodMs: DAY_MS, key: fn.idempotency };
  const raw = fn.rateLimit as { limit?: number; period?: string; key?: string } | undefined;
  if (!raw) return undefined;
  const periodMs = typeof raw.period === "string" ? parseDuration(raw.period) : undefined;
  if (!raw.limit || periodMs === undefined) return undefined; // refused at sync
  return { limit: raw.limit, periodMs, key: raw.key || undefined };
}

export type RateLimitDecision = { start: true; reason?: string } | { start: false; reason: string };

/**
 * Whether a run may start under its function's rate limit, checked before
 * the run is created (executor.go:1066-1133); over the limit the event is
 * dropped for this function, now and later (executor.go:1113).
 * - No key: one bucket per function (ratelimit.go:55-57).
 * - A key that evaluates to false (also a missing key, D7) is not limited
 *   (ratelimit.go:65-67).
 * - A key that fails to evaluate fails the scheduling: no run
 *   (ratelimit.go:58-64, executor.go:1128-1131).
 * - burst = limit / 10, integer division (ratelimit_lua.go:41).
 */
export function checkRateLimit(gcra: Gcra, fn: FunctionConfig, event: StoredEvent, now: number): RateLimitDecision {
  const config = rateLimitOf(fn);
  if (!config) return { start: true };
  let keyValue: string | undefined;
  if (config.key) {
    const outcome = evaluateCel(config.key, { event });
    if (!outcome.ok) return { start: false, reason: `rate limit key "${config.key}" failed (${outcome.error}): not scheduled` };
    if (outcome.value === false) return { start: true, reason: `rate limit key "${config.key}" is false: not limited` };
    keyValue = formatValue(outcome.value);
  }
  const bucket = keyValue === undefined ? fn.id : `${fn.id}\n${keyValue}`;
  const rate = { periodMs: config.periodMs, limit: config.limit, burst: Math.floor(config.limit / 10) };
  if (gcra.take(bucket, now, rate)) return { start: true };
  const what = fn.idempotency ? `idempotency key "${keyValue}" already used` : `rate limit${keyValue === undefined ? "" : ` for "${keyValue}"`} reached`;
  return { start: false, reason: `${what}: no run` };
}

// ---------------------------------------------------------------- throttle

export interface ThrottleBucket {
  key: string;
  rate: GcraRate;
}

/**
 * A run's throttle, fixed when it is scheduled from its trigger event
 * (queue/item.go:657-682): the key is `fmt.Sprintf("%v")` of the key's value
 * with evaluation errors ignored, so every event without the key shares one
 * bucket; the period is whole seconds (item.go:678); a limit of 0 is 1
 * (function.go:250-252). The server lets `limit + burst` starts through at
 * once (constraintapi/lua/acquire.lua:246-252: GCRA burst = limit + burst - 1).
 */
export function throttleBucket(fn: FunctionConfig, event: StoredEvent): ThrottleBucket | undefined {
  const raw = fn.throttle as { limit?: number; period?: string; burst?: number; key?: string } | undefined;
  if (!raw) return undefined;
  const period = typeof raw.period === "string" ? parseDuration(raw.period) : undefined;
  if (period === undefined) return undefined; // refused at sync
  const limit = Math.max(Math.floor(raw.limit ?? 0), 1);
  const burst = Math.max(Math.floor(raw.burst ?? 0), 0);
  const key = raw.key ? `${fn.id}\n${celKeyString(raw.key, { event })}` : fn.id;
  return { key, rate: { periodMs: Math.floor(period / 1000) * 1000, limit, burst: limit + burst - 1 } };
}
