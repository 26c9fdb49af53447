import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Per-start credentials. The app serves `/api/inngest` in cloud mode with the
 * signing key (every request the executor makes is signed with it, and the
 * SDK authenticates its checkpoint calls with its hash); `inngest.send()`
 * reaches the event API only with the event key.
 */
export function generateSigningKey(): string {
  // The SDK strips `signkey-<env>-` and uses the rest as the HMAC key.
  return `signkey-local-${randomBytes(32).toString("hex")}`;
}

export function generateEventKey(): string {
  return randomBytes(32).toString("hex");
}

/**
 * The bearer token the SDK sends to the Inngest API: the prefix, then the
 * SHA-256 of the hex-decoded key (SDK helpers/strings.js `hashSigningKey`).
 */
export function hashSigningKey(signingKey: string): string {
  const prefix = /^signkey-[\w]+-/.exec(signingKey)?.[0] ?? "";
  const key = signingKey.slice(prefix.length);
  return `${prefix}${createHash("sha256").update(Buffer.from(key, "hex")).digest("hex")}`;
}

/** Constant-time string comparison (different lengths are simply unequal). */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
