/**
 * Fixed-window rate limits kept in the database (the RateLimit table), so
 * that every app instance counts against the same numbers.
 */
import { createHash } from "node:crypto";
import { now as currentTime } from "../clock";
import type { Db } from "../db/prisma";

export type RateLimitResult = { allowed: boolean; retryAfterSeconds: number };

/** Counters older than this are deleted; no limit may use a longer window. */
const MAX_WINDOW_MS = 24 * 3_600_000;

/**
 * The limits of the public endpoints, in one place. One-click unsubscribes
 * arrive from mailbox providers' servers (many users behind few IPs), so
 * their per-IP limit is generous and the per-link limit is the strict one.
 */
export const RATE_LIMITS = {
  unsubscribePageIp: { limit: 30, windowMs: 10 * 60_000 },
  unsubscribePageToken: { limit: 10, windowMs: 10 * 60_000 },
  oneClickIp: { limit: 600, windowMs: 60_000 },
  oneClickToken: { limit: 10, windowMs: 60_000 },
  /** Links that fail to verify count apart, so garbage never uses up the valid links' allowance. */
  oneClickInvalidIp: { limit: 60, windowMs: 60_000 },
  unsubscribePageInvalidIp: { limit: 30, windowMs: 10 * 60_000 },
  webhookIp: { limit: 300, windowMs: 60_000 },
} as const;

/**
 * Counts one hit on `key` in the current window and says whether it is
 * within `limit`. One atomic upsert, so concurrent hits never under-count.
 */
export async function rateLimit(db: Db, input: { key: string; limit: number; windowMs: number }): Promise<RateLimitResult> {
  const { key, limit, windowMs } = input;
  if (!(windowMs > 0 && windowMs <= MAX_WINDOW_MS)) throw new Error(`Rate limit window must be within (0, ${MAX_WINDOW_MS}] ms`);
  const at = currentTime().getTime();
  const windowStart = new Date(Math.floor(at / windowMs) * windowMs);

  const [row] = await db.$queryRaw<{ count: number }[]>`
    INSERT INTO "RateLimit" ("key", "windowStart", "count")
    VALUES (${key}, ${windowStart}, 1)
    ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimit"."count" + 1
    RETURNING "count"`;

  // The first hit of a window is a cheap, regular moment to drop stale counters.
  if (row.count === 1) {
    await db.$executeRaw`DELETE FROM "RateLimit" WHERE "windowStart" < ${new Date(at - MAX_WINDOW_MS)}`;
  }

  if (row.count <= limit) return { allowed: true, retryAfterSeconds: 0 };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowStart.getTime() + windowMs - at) / 1000)) };
}

/** A short digest for secrets used in keys (tokens must not be stored). */
export function keyDigest(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 32);
}

/** The 429 answer of route handlers. */
export function tooManyRequests(result: RateLimitResult): Response {
  return Response.json(
    { error: { code: "rate_limited", message: "Too many requests. Please try again later." } },
    { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
  );
}
