/**
 * The Message-ID of a step's email. Recipients see it, so it carries no
 * internal id: it is an HMAC of (enrollment, step) under the signing secret.
 * Deterministic, so a retried send gets the same id (the provider and the
 * recipient's client see one message) and a reply's In-Reply-To finds the
 * send by the id stored on it.
 */
import { createHmac } from "node:crypto";

function signingSecret(): string {
  const value = process.env.STEPWISE_SIGNING_SECRET;
  if (!value || value.length < 16) {
    throw new Error("STEPWISE_SIGNING_SECRET must be set (at least 16 characters) to build Message-IDs.");
  }
  return value;
}

/** `<40 hex digits>@<domain>` (stored and compared without angle brackets). */
export function stepMessageId(
  send: { enrollmentId: string; stepId: string },
  domain: string,
  secret: string = signingSecret(),
): string {
  // A purpose prefix, so this HMAC never equals one the same key makes elsewhere (unsubscribe tokens).
  const mac = createHmac("sha256", secret).update(`message-id.v1.${send.enrollmentId}.${send.stepId}`).digest("hex");
  return `${mac.slice(0, 40)}@${domain}`;
}
