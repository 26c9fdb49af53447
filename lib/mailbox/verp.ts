/**
 * VERP return paths: with BOUNCE_DOMAIN set, a step email's SMTP envelope
 * sender (MAIL FROM, where bounces go) is bounces+<token>@<BOUNCE_DOMAIN>,
 * so a bounce names the send it belongs to in its own address, even when
 * the report leaves out the original message. Off by default.
 *
 * The token is the local part of the step's Message-ID: 40 hex digits of an
 * HMAC of (enrollment, step) under the signing secret (lib/email/message-id.ts),
 * so it is unguessable, carries no internal id, and finds the send through
 * the Message-ID already stored and indexed on it: no new column.
 */

const STEP_ID_LOCAL_PART = /^[0-9a-f]{40}$/;
const VERP_ADDRESS = /^bounces\+([0-9a-f]{40})@([^@\s]+)$/i;

/** The envelope sender for a message with this Message-ID, or null to use the From address. */
export function verpReturnPath(messageId: string, env: Record<string, string | undefined> = process.env): string | null {
  const domain = env.BOUNCE_DOMAIN?.trim();
  if (!domain) return null;
  const local = messageId.slice(0, messageId.lastIndexOf("@"));
  // Only step emails: team invitations and sign-up confirmations keep the plain sender.
  return STEP_ID_LOCAL_PART.test(local) ? `bounces+${local}@${domain}` : null;
}

/**
 * The Message-ID a VERP address stands for, or null. Any domain: a bounce
 * for mail sent before BOUNCE_DOMAIN changed still names its send.
 */
export function messageIdOfReturnPath(address: string, messageIdDomain: string): string | null {
  const match = address.trim().match(VERP_ADDRESS);
  return match ? `${match[1].toLowerCase()}@${messageIdDomain}` : null;
}
