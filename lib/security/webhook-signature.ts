/**
 * Signatures on inbound webhooks (replies, bounces). The sender signs
 *   `${t}.${METHOD} ${path}${?query}.${rawBody}`
 * with HMAC-SHA256 and the shared WEBHOOK_SECRET, and sends
 *   x-stepwise-signature: t=<unix seconds>,v1=<hex digest>
 * Covering the method, path and query means a body signed for one endpoint
 * (or one ?provider=) is worthless at another. The timestamp bounds replays
 * to a 5 minute window, and within it each signature is accepted once
 * (remembered in the database, so across every app instance). Several v1
 * values may be given (while the secret is being rotated); one is enough.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Db } from "../db/prisma";
import { BODY_LIMITS, readBodyText } from "./body";

export const WEBHOOK_SIGNATURE_HEADER = "x-stepwise-signature";
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;
const MIN_SECRET_LENGTH = 16;

/** What is signed besides the body: the request line as the sender addressed it. */
export type SignedTarget = { method: string; path: string };

export type WebhookVerification =
  | { ok: true; digest: string; t: number }
  | { ok: false; reason: "missing" | "malformed" | "expired" | "bad_signature" | "replayed" };

/** The request's method and path+query, as they are signed. */
export function signedTargetOf(request: Request): SignedTarget {
  const url = new URL(request.url);
  return { method: request.method.toUpperCase(), path: `${url.pathname}${url.search}` };
}

function digest(body: string, secret: string, t: number, target: SignedTarget): Buffer {
  return createHmac("sha256", secret).update(`${t}.${target.method.toUpperCase()} ${target.path}.${body}`).digest();
}

/** The header value for `body` sent to `target`, signed at `t` (unix seconds). */
export function signWebhook(body: string, secret: string, target: SignedTarget, t: number = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${digest(body, secret, t, target).toString("hex")}`;
}

/** Checks the header against the request line and raw body, in constant time. */
export function verifyWebhook(
  rawBody: string,
  header: string | null | undefined,
  secret: string,
  target: SignedTarget,
  now: Date = new Date(),
): WebhookVerification {
  if (!header) return { ok: false, reason: "missing" };
  if (header.length > 2048) return { ok: false, reason: "malformed" };

  let t: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(",")) {
    const [name, value, extra] = part.trim().split("=");
    if (!value || extra !== undefined) return { ok: false, reason: "malformed" };
    if (name === "t") {
      if (!/^\d{1,12}$/.test(value)) return { ok: false, reason: "malformed" };
      t = Number(value);
    } else if (name === "v1") {
      if (!/^[0-9a-f]{64}$/i.test(value)) return { ok: false, reason: "malformed" };
      signatures.push(Buffer.from(value, "hex"));
    }
    // Unknown schemes are skipped, so a future v2 can be added alongside.
  }
  if (t === undefined || signatures.length === 0) return { ok: false, reason: "malformed" };
  if (Math.abs(now.getTime() / 1000 - t) > WEBHOOK_TOLERANCE_SECONDS) return { ok: false, reason: "expired" };

  const expected = digest(rawBody, secret, t, target);
  // Every candidate is compared (no early exit), so timing says nothing about which matched.
  let matched = false;
  for (const signature of signatures) matched = timingSafeEqual(signature, expected) || matched;
  if (!matched) return { ok: false, reason: "bad_signature" };
  // The replay key is what was signed, not how the header spells it (extra v1 values, order).
  return { ok: true, t, digest: createHash("sha256").update(expected).digest("hex") };
}

/**
 * Remembers a verified signature until it expires; false when it was
 * already there (a replay). One INSERT .. ON CONFLICT DO NOTHING, so two
 * concurrent deliveries of the same request cannot both pass.
 */
export async function claimSignature(db: Db, verified: { digest: string; t: number }, now: Date): Promise<boolean> {
  const expiresAt = new Date((verified.t + WEBHOOK_TOLERANCE_SECONDS + 1) * 1000);
  const inserted = await db.$executeRaw`
    INSERT INTO "WebhookReplay" ("digest", "expiresAt") VALUES (${verified.digest}, ${expiresAt})
    ON CONFLICT ("digest") DO NOTHING`;
  if (inserted === 1) await db.$executeRaw`DELETE FROM "WebhookReplay" WHERE "expiresAt" < ${now}`;
  return inserted === 1;
}

/** Forgets a claimed signature, so the sender may retry it after a failure on our side. */
export async function releaseSignature(db: Db, verifiedDigest: string): Promise<void> {
  await db.webhookReplay.deleteMany({ where: { digest: verifiedDigest } });
}

/** WEBHOOK_SECRET, or null when it is missing or too short to be safe. */
export function webhookSecret(): string | null {
  const value = process.env.WEBHOOK_SECRET;
  return value && value.length >= MIN_SECRET_LENGTH ? value : null;
}

export type SignedWebhook = { ok: true; rawBody: string; digest: string } | { ok: false; response: Response };

const unauthenticated = (message: string) => ({
  ok: false as const,
  response: Response.json({ error: { code: "unauthenticated", message } }, { status: 401 }),
});

/**
 * Reads a webhook request's raw body (capped, strict UTF-8) and checks its
 * signature and that it was not seen before. Refusals answer before
 * anything is parsed or stored: 413/400 for the body, 401 for a missing,
 * bad or replayed signature, 503 when no WEBHOOK_SECRET is configured.
 */
export async function readSignedWebhook(db: Db, request: Request, now: Date): Promise<SignedWebhook> {
  const secret = webhookSecret();
  if (!secret) {
    console.error("[webhooks] WEBHOOK_SECRET is not set (or shorter than 16 characters): refusing webhooks.");
    return { ok: false, response: Response.json({ error: { code: "not_configured", message: "Webhooks are not configured." } }, { status: 503 }) };
  }
  const read = await readBodyText(request, BODY_LIMITS.webhook);
  if (!read.ok) return read;
  const verified = verifyWebhook(read.text, request.headers.get(WEBHOOK_SIGNATURE_HEADER), secret, signedTargetOf(request), now);
  if (!verified.ok) {
    return unauthenticated(verified.reason === "expired" ? "The signature timestamp is too old or too far ahead." : "Missing or invalid signature.");
  }
  if (!(await claimSignature(db, verified, now))) return unauthenticated("This signed request was already received (a replay).");
  return { ok: true, rawBody: read.text, digest: verified.digest };
}
