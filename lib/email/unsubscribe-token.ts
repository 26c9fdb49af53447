/**
 * Signed unsubscribe tokens for public links (the unsubscribe page and the
 * RFC 8058 one-click POST). Format: base64url(JSON payload) "." base64url(
 * HMAC-SHA256(secret, payload part)). Verified in constant time; a token
 * proves who the link was sent to, so it must not be forgeable or editable.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/** How long a link in a sent email keeps working (CAN-SPAM asks for >= 30 days). */
export const UNSUBSCRIBE_TOKEN_TTL_MS = 365 * 86_400_000;

const ZPayload = z.object({
  /** contact id */
  c: z.string().min(1),
  /** the message (StepSend) the link came in, when known */
  m: z.string().min(1).optional(),
  /** issued at / expires at, epoch seconds */
  iat: z.number().int(),
  exp: z.number().int(),
});
export type UnsubscribeTokenPayload = { contactId: string; messageRef?: string; issuedAt: Date; expiresAt: Date };

export type VerifyResult = { ok: true; payload: UnsubscribeTokenPayload } | { ok: false; reason: "malformed" | "bad_signature" | "expired" };

function secret(): string {
  const value = process.env.STEPWISE_SIGNING_SECRET;
  if (!value || value.length < 16) {
    throw new Error("STEPWISE_SIGNING_SECRET must be set (at least 16 characters) to sign unsubscribe links.");
  }
  return value;
}

function sign(data: string, key: string): Buffer {
  return createHmac("sha256", key).update(`unsubscribe.v1.${data}`).digest();
}

export function createUnsubscribeToken(
  input: { contactId: string; messageRef?: string },
  options: { now?: Date; ttlMs?: number; secret?: string } = {},
): string {
  const issued = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const payload = { c: input.contactId, m: input.messageRef, iat: issued, exp: issued + Math.floor((options.ttlMs ?? UNSUBSCRIBE_TOKEN_TTL_MS) / 1000) };
  const data = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${data}.${sign(data, options.secret ?? secret()).toString("base64url")}`;
}

/** base64url of a 32-byte HMAC-SHA256, without padding. */
const SIGNATURE_LENGTH = 43;

function isCanonicalBase64url(value: string): boolean {
  return Buffer.from(value, "base64url").toString("base64url") === value;
}

export function verifyUnsubscribeToken(token: string, options: { now?: Date; secret?: string } = {}): VerifyResult {
  if (typeof token !== "string" || token.length > 1024) return { ok: false, reason: "malformed" };
  const [data, signature, extra] = token.split(".");
  if (!data || !signature || extra !== undefined) return { ok: false, reason: "malformed" };

  // Only the canonical spelling: Node's base64url decoder skips characters
  // outside the alphabet and ignores the last character's spare bits, so
  // "sig~" or a changed last letter would decode to the same bytes and give
  // one link many spellings (and rate-limit keys).
  if (signature.length !== SIGNATURE_LENGTH || !isCanonicalBase64url(data)) return { ok: false, reason: "malformed" };
  const given = Buffer.from(signature, "base64url");
  if (given.toString("base64url") !== signature) return { ok: false, reason: "malformed" };
  const expected = sign(data, options.secret ?? secret());
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "bad_signature" };

  let parsed;
  try {
    parsed = ZPayload.safeParse(JSON.parse(Buffer.from(data, "base64url").toString("utf8")));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (!parsed.success) return { ok: false, reason: "malformed" };
  const { c, m, iat, exp } = parsed.data;
  if ((options.now ?? new Date()).getTime() / 1000 > exp) return { ok: false, reason: "expired" };
  return { ok: true, payload: { contactId: c, messageRef: m, issuedAt: new Date(iat * 1000), expiresAt: new Date(exp * 1000) } };
}

/**
 * The rate-limit key of a verified link: what it names (contact and message),
 * not how it is spelled, so re-issued or re-encoded links share one count.
 */
export function unsubscribeLinkKey(payload: UnsubscribeTokenPayload): string {
  return createHash("sha256").update(`${payload.contactId}\n${payload.messageRef ?? ""}`).digest("hex").slice(0, 32);
}
