/**
 * Signed tokens for the tracking URLs: /r/<token> (a click on link `index`
 * of a send) and /o/<token> (the open pixel of a send). Format:
 * "<sendId>.<index>.<sig>" and "<sendId>.<sig>", sig = base64url(HMAC-SHA256(
 * STEPWISE_SIGNING_SECRET, "track.v1.<kind>.<sendId>[.<index>]")), checked in
 * constant time. Only the canonical spelling verifies, so one link has one
 * token. The token names a send and an index, never a URL: the destination
 * is read from what was stored at send time (TrackedLink).
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export type ClickRef = { sendId: string; index: number };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A canonical non-negative integer below 1,000 ("07" and "1e2" are not). */
const INDEX = /^(0|[1-9][0-9]{0,2})$/;
/** base64url of a 32-byte digest, unpadded. */
const SIGNATURE_LENGTH = 43;
const MAX_TOKEN_LENGTH = 200;

function secret(): string {
  const value = process.env.STEPWISE_SIGNING_SECRET;
  if (!value || value.length < 16) throw new Error("STEPWISE_SIGNING_SECRET must be set (at least 16 characters) to sign tracking links.");
  return value;
}

function sign(data: string, key: string): Buffer {
  return createHmac("sha256", key).update(`track.v1.${data}`).digest();
}

function matches(signature: string, data: string, key: string): boolean {
  if (signature.length !== SIGNATURE_LENGTH) return false;
  const given = Buffer.from(signature, "base64url");
  if (given.toString("base64url") !== signature) return false;
  const expected = sign(data, key);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function createClickToken({ sendId, index }: ClickRef, options: { secret?: string } = {}): string {
  return `${sendId}.${index}.${sign(`click.${sendId}.${index}`, options.secret ?? secret()).toString("base64url")}`;
}

export function createOpenToken(sendId: string, options: { secret?: string } = {}): string {
  return `${sendId}.${sign(`open.${sendId}`, options.secret ?? secret()).toString("base64url")}`;
}

/** The click a token names, or null when it is malformed, altered or forged. */
export function verifyClickToken(token: unknown, options: { secret?: string } = {}): ClickRef | null {
  if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) return null;
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [sendId, index, signature] = parts;
  if (!UUID.test(sendId) || !INDEX.test(index)) return null;
  return matches(signature, `click.${sendId}.${index}`, options.secret ?? secret()) ? { sendId, index: Number(index) } : null;
}

/** The send an open token names, or null. */
export function verifyOpenToken(token: unknown, options: { secret?: string } = {}): string | null {
  if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) return null;
  const parts = token.split(".");
  if (parts.length !== 2) return null;
  const [sendId, signature] = parts;
  if (!UUID.test(sendId)) return null;
  return matches(signature, `open.${sendId}`, options.secret ?? secret()) ? sendId : null;
}
