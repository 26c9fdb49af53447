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
import { recordInboundReply } from "../replies/record-reply";
import type { ParsedMessage } from "./parse-message";

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

export async function handleMessage(db: Db, message: ParsedMessage): Promise<Handled> {
  if (message.dsn) return handleBounce(db, message);
  if (!message.from) return { kind: "ignored", reason: "no_sender" };
  if (!(await ourSend(db, message.referencedIds))) return { kind: "ignored", reason: "not_ours" };
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
 * very address. The returned headers must carry our stored Message-ID:
 * anyone can mail the inbox a delivery report naming any address.
 */
async function handleBounce(db: Db, message: ParsedMessage): Promise<Handled> {
  const send = await ourSend(db, message.returnedMessageIds);
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
