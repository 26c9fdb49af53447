/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the secret
 * is `whsec_<base64 key>`; the signature is the base64 HMAC-SHA256, keyed
 * with the decoded key, of `<webhook-id>.<webhook-timestamp>.<body>`, sent
 * as `webhook-signature: v1,<signature>`.
 */
import { createHmac, randomBytes } from "node:crypto";

const SECRET_PREFIX = "whsec_";
/** 32 random bytes: the spec asks for 24 to 64. */
const SECRET_BYTES = 32;

export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString("base64");
}

/** The headers of one delivery attempt of `body`. */
export function signedHeaders(secret: string, id: string, body: string, timestampSeconds: number): Record<string, string> {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, "base64");
  const signature = createHmac("sha256", key).update(`${id}.${timestampSeconds}.${body}`).digest("base64");
  return { "webhook-id": id, "webhook-timestamp": String(timestampSeconds), "webhook-signature": `v1,${signature}` };
}
