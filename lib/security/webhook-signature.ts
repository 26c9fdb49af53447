/**
 * Signatures on inbound webhooks (replies, bounces). The sender signs
 * `${t}.${rawBody}` with HMAC-SHA256 and the shared WEBHOOK_SECRET, and sends
 *   x-stepwise-signature: t=<unix seconds>,v1=<hex digest>
 * The timestamp bounds replays to a 5 minute window. Several v1 values may
 * be given (while the secret is being rotated); one matching is enough.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const WEBHOOK_SIGNATURE_HEADER = "x-stepwise-signature";
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;
const MIN_SECRET_LENGTH = 16;

export type WebhookVerification = { ok: true } | { ok: false; reason: "missing" | "malformed" | "expired" | "bad_signature" };

function digest(body: string, secret: string, t: number): Buffer {
  return createHmac("sha256", secret).update(`${t}.${body}`).digest();
}

/** The header value for `body` signed at `t` (unix seconds). */
export function signWebhook(body: string, secret: string, t: number = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${digest(body, secret, t).toString("hex")}`;
}

/** Checks the header against the raw request body, in constant time. */
export function verifyWebhook(rawBody: string, header: string | null | undefined, secret: string, now: Date = new Date()): WebhookVerification {
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

  const expected = digest(rawBody, secret, t);
  // Every candidate is compared (no early exit), so timing says nothing about which matched.
  let matched = false;
  for (const signature of signatures) matched = timingSafeEqual(signature, expected) || matched;
  return matched ? { ok: true } : { ok: false, reason: "bad_signature" };
}

/** WEBHOOK_SECRET, or null when it is missing or too short to be safe. */
export function webhookSecret(): string | null {
  const value = process.env.WEBHOOK_SECRET;
  return value && value.length >= MIN_SECRET_LENGTH ? value : null;
}

export type SignedWebhook = { ok: true; rawBody: string } | { ok: false; response: Response };

/**
 * Reads a webhook request's raw body and checks its signature. Refusals
 * answer before anything is parsed or stored: 401 for a missing or bad
 * signature, 503 when no WEBHOOK_SECRET is configured.
 */
export async function readSignedWebhook(request: Request, now: Date): Promise<SignedWebhook> {
  const secret = webhookSecret();
  if (!secret) {
    console.error("[webhooks] WEBHOOK_SECRET is not set (or shorter than 16 characters): refusing webhooks.");
    return { ok: false, response: Response.json({ error: { code: "not_configured", message: "Webhooks are not configured." } }, { status: 503 }) };
  }
  const rawBody = await request.text();
  const verified = verifyWebhook(rawBody, request.headers.get(WEBHOOK_SIGNATURE_HEADER), secret, now);
  if (!verified.ok) {
    const message = verified.reason === "expired" ? "The signature timestamp is too old or too far ahead." : "Missing or invalid signature.";
    return { ok: false, response: Response.json({ error: { code: "unauthenticated", message } }, { status: 401 }) };
  }
  return { ok: true, rawBody };
}
