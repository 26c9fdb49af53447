/**
 * When a failed delivery is tried again: the Standard Webhooks / Svix
 * schedule (right away, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h), about 28
 * hours in all, so an endpoint that is down for a day is disabled
 * (FAILING_DISABLE_AFTER_MS) before its oldest event runs out of attempts.
 */
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Delay before attempt n + 1 after attempt n failed (index n - 1). */
export const RETRY_DELAYS_MS = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR] as const;

/** Attempts per delivery: the first and one per delay. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** An endpoint whose every attempt failed for this long is disabled. */
export const FAILING_DISABLE_AFTER_MS = 24 * HOUR;

/** How long one attempt waits for the response. */
export const ATTEMPT_TIMEOUT_MS = 10 * SECOND;

/** How long an attempt may be in flight before it counts as abandoned (the process died). */
export const ATTEMPT_LEASE_MS = ATTEMPT_TIMEOUT_MS + 50 * SECOND;

/** When attempt `number` (1-based) having failed, the next one is due; null when none is left. */
export function nextAttemptAt(number: number, lastAttempt: number, failedAt: Date): Date | null {
  if (number >= lastAttempt) return null;
  const delay = RETRY_DELAYS_MS[Math.min(number, RETRY_DELAYS_MS.length) - 1];
  return new Date(failedAt.getTime() + delay);
}
