/**
 * Sign-in throttling, counted in the database (the RateLimit table) so that
 * every app process sees the same numbers. Failed sign-ins are counted per
 * address and per client IP over a window: past SLOW_AFTER failures each
 * attempt waits a little longer; at the limit attempts are refused, right
 * password or not, until the window ends.
 */
import { createHash } from "node:crypto";
import { now as currentTime } from "../clock";
import type { Db } from "../db/prisma";
import { rateLimit } from "../security/rate-limit";

export const SIGN_IN_THROTTLE = {
  windowMs: 15 * 60_000,
  /** Failures for one address before attempts are refused. */
  emailLimit: 10,
  /** Failures from one IP (many addresses: password spraying) before attempts are refused. */
  ipLimit: 50,
  /** Failures after which each attempt is slowed down. */
  slowAfter: 3,
  stepMs: 250,
  maxDelayMs: 2_000,
} as const;

const keysOf = (email: string, ip: string) => {
  const keys = [`sign-in-fail:email:${createHash("sha256").update(email).digest("hex").slice(0, 32)}`];
  // "unknown" would put every client behind a missing proxy setting into one bucket: one attacker would lock everybody out.
  if (ip !== "unknown") keys.push(`sign-in-fail:ip:${ip}`);
  return keys;
};

const windowStart = (at: number) => new Date(Math.floor(at / SIGN_IN_THROTTLE.windowMs) * SIGN_IN_THROTTLE.windowMs);

export type ThrottleVerdict = { refused: false; delayMs: number } | { refused: true; retryAfterSeconds: number };

/** What the failures so far mean for this attempt. */
export async function signInVerdict(db: Db, email: string, ip: string): Promise<ThrottleVerdict> {
  const at = currentTime().getTime();
  const start = windowStart(at);
  const [emailKey, ipKey] = keysOf(email, ip);
  const rows = await db.rateLimit.findMany({ where: { key: { in: keysOf(email, ip) }, windowStart: start }, select: { key: true, count: true } });
  const count = (key: string | undefined) => rows.find((r) => r.key === key)?.count ?? 0;
  const byEmail = count(emailKey);
  const byIp = count(ipKey);
  if (byEmail >= SIGN_IN_THROTTLE.emailLimit || byIp >= SIGN_IN_THROTTLE.ipLimit) {
    return { refused: true, retryAfterSeconds: Math.max(1, Math.ceil((start.getTime() + SIGN_IN_THROTTLE.windowMs - at) / 1000)) };
  }
  const over = Math.max(byEmail, byIp) - SIGN_IN_THROTTLE.slowAfter + 1;
  return { refused: false, delayMs: over > 0 ? Math.min(SIGN_IN_THROTTLE.maxDelayMs, over * SIGN_IN_THROTTLE.stepMs) : 0 };
}

/** Counts one failed sign-in against the address and the IP. */
export async function recordSignInFailure(db: Db, email: string, ip: string): Promise<void> {
  for (const key of keysOf(email, ip)) {
    await rateLimit(db, { key, limit: Number.MAX_SAFE_INTEGER, windowMs: SIGN_IN_THROTTLE.windowMs });
  }
}
