import "server-only";
/**
 * What one message read from the mailbox means, fed into the same paths the
 * webhooks use: recordInboundReply for replies, markBounced for bounces.
 * Only mail that refers to a Message-ID we stored counts: the inbox also
 * holds newsletters, colleagues' mail and forged bounces.
 */
import { markBounced } from "../contacts/bounce";
import { normalizeEmail } from "../contacts/email";
import type { Db } from "../db/prisma";
import { mailConfig } from "../email/config";
import { recordInboundReply } from "../replies/record-reply";
import type { ParsedMessage } from "./parse-message";
import { messageIdOfReturnPath } from "./verp";

export type Handled =
  | { kind: "reply"; exited: number }
  | { kind: "auto_reply" }
  | { kind: "bounce"; bounced: number }
  | { kind: "ignored"; reason: "not_ours" | "no_sender" | "soft_bounce" | "bounce_not_ours" };

/** The stored send (and its recipient) for the first of these ids we sent. */
async function ourSend(db: Db, ids: string[]) {
  const wanted = ids.slice(0, 20);
  if (wanted.length === 0) return null;
  return db.stepSend.findFirst({
    where: { messageId: { in: wanted } },
    select: { id: true, enrollment: { select: { contact: { select: { email: true } } } } },
  });
}

/**
 * What the batch already knows from the headers: the addresses the message
 * was delivered to (where a VERP return path shows), and whether it refers
 * to one of our stored Message-IDs (handle-batch.ts looked them all up at once).
 */
export type Known = { deliveredTo: string[]; refersToOurs: boolean };

/** Without `known`, one message alone: its Message-IDs are looked up here. */
export async function handleMessage(db: Db, message: ParsedMessage, known?: Known): Promise<Handled> {
  if (message.dsn) return handleBounce(db, message, known?.deliveredTo ?? []);
  if (!message.from) return { kind: "ignored", reason: "no_sender" };
  if (!(known ? known.refersToOurs : await ourSend(db, message.referencedIds))) return { kind: "ignored", reason: "not_ours" };
  const result = await recordInboundReply(
    db,
    {
      from: message.from,
      subject: message.subject,
      inReplyTo: message.inReplyTo ?? undefined,
      messageId: message.messageId ?? undefined,
      headers: message.headers,
    },
    { provider: "imap" },
  );
  return result.autoReply ? { kind: "auto_reply" } : { kind: "reply", exited: result.exited };
}

/**
 * A hard bounce (Action: failed, Status 5.x.x) of a message we sent to that
 * very address. The report must name the send: by our stored Message-ID in
 * its returned headers, or by arriving at the send's VERP return path
 * (verp.ts) when it returns no headers. Both are unguessable: anyone can
 * mail the inbox a delivery report naming any address.
 */
async function handleBounce(db: Db, message: ParsedMessage, deliveredTo: string[]): Promise<Handled> {
  const domain = mailConfig().messageIdDomain;
  const byReturnPath = deliveredTo.flatMap((address) => messageIdOfReturnPath(address, domain) ?? []);
  const send = (await ourSend(db, message.returnedMessageIds)) ?? (await ourSend(db, byReturnPath));
  if (!send) return { kind: "ignored", reason: "bounce_not_ours" };
  const sentTo = normalizeEmail(send.enrollment.contact.email);
  const failed = (message.dsn ?? []).filter((r) => r.action === "failed" && /^5\./.test(r.status));
  if (failed.length === 0) return { kind: "ignored", reason: "soft_bounce" };
  const ours = failed.find((r) => [r.finalRecipient, r.originalRecipient].some((a) => a && normalizeEmail(a) === sentTo));
  if (!ours) return { kind: "ignored", reason: "bounce_not_ours" };
  const detail = `Delivery status ${ours.status}${ours.diagnostic ? `: ${ours.diagnostic.slice(0, 300)}` : ""} (read from the mailbox)`;
  const outcome = await markBounced(db, { email: sentTo, kind: "hard", detail, sendId: send.id });
  return { kind: "bounce", bounced: outcome.outcome === "bounced" ? 1 : 0 };
}
