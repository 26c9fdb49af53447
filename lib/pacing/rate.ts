/**
 * The per-sender send rate: pure arithmetic, and where the limit comes from.
 * A setting of the installation, not of a sequence: it protects the sender's
 * reputation and the mail provider's quota, which every sequence shares.
 */

/**
 * Sends per minute for each sender address, from STEPWISE_SEND_RATE_PER_MINUTE;
 * null (no limit) when unset, empty or not a positive number.
 */
export function sendRatePerMinute(env: Record<string, string | undefined> = process.env): number | null {
  const raw = env.STEPWISE_SEND_RATE_PER_MINUTE?.trim();
  if (!raw) return null;
  const rate = Number(raw);
  return Number.isFinite(rate) && rate > 0 ? rate : null;
}

/** Milliseconds between two sends at `perMinute` (whole milliseconds, at least 1). */
export function slotSpacingMs(perMinute: number): number {
  return Math.max(1, Math.ceil(60_000 / perMinute));
}

/**
 * The next send slot: the later of now and one spacing after the last slot
 * handed out. A slot is never before now (a late reservation sends at once)
 * and two slots are never closer than the spacing. The database does the
 * same with GREATEST in one statement (lib/pacing/claim.ts); this is its
 * statement in TypeScript, for the tests and the resume estimate.
 */
export function nextSlot(now: Date, lastSlot: Date | null, perMinute: number): Date {
  if (lastSlot === null) return now;
  return new Date(Math.max(now.getTime(), lastSlot.getTime() + slotSpacingMs(perMinute)));
}
