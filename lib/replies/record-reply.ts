/**
 * Stores an inbound reply, matches it to the contact and (through
 * In-Reply-To) to the message it answers, and ends the sequences that exit
 * on reply, if it is verified (answers our Message-ID, or the provider
 * authenticated the From domain: see sender-auth.ts). Auto-replies are stored but end nothing;
 * they may hold the next step (hold-on-auto-reply.ts). A reply the provider
 * delivers again (webhook retries) is stored once, by its Message-ID.
 */
import { now as currentTime } from "../clock";
import { normalizeEmail } from "../contacts/email";
import type { Db } from "../db/prisma";
import { recordOutboundEvent } from "../outbound-webhooks/record";
import { endLiveEnrollments, publishExitEvents } from "../sequences/exit-contact";
import { ZExitContactInput } from "../validations/enrollment";
import { parseOrThrow } from "../validations/parse";
import { attributeToSend } from "../tracking/attribution";
import { isAutoReply, lowerCaseKeys } from "./auto-reply";
import { holdOnAutoReply } from "./hold-on-auto-reply";
import { senderAuthenticated } from "./sender-auth";
import { messageIdsIn, stripAngleBrackets, type TInboundReply } from "./normalize";

export type RecordReplyResult = {
  matched: boolean;
  matchedSend: boolean;
  autoReply: boolean;
  /** It answers one of our messages, or the provider authenticated its From domain: only then does it end anything. */
  verified: boolean;
  /** Already stored under its Message-ID: this is the provider retrying. */
  duplicate: boolean;
  exited: number;
};

type MatchedSend = { id: string; contactId: string; sequenceId: string };

/**
 * The send the reply answers: In-Reply-To names the message answered;
 * References (newest last) is the fallback for clients that leave
 * In-Reply-To out. One indexed look-up of all of them (ids are opaque,
 * lib/email/message-id.ts, so nothing is parsed), then the first in that order.
 */
async function matchSend(db: Db, reply: TInboundReply): Promise<MatchedSend | null> {
  const candidates = [...messageIdsIn(reply.inReplyTo), ...messageIdsIn(lowerCaseKeys(reply.headers ?? {})["references"]).reverse()]
    .slice(0, 20)
    .filter((id) => id.length <= 255);
  if (candidates.length === 0) return null;
  const sends = await db.stepSend.findMany({
    where: { messageId: { in: candidates } },
    select: { id: true, messageId: true, enrollment: { select: { contactId: true, sequenceId: true } } },
  });
  for (const id of candidates) {
    const send = sends.find((s) => s.messageId === id);
    if (send) return { id: send.id, ...send.enrollment };
  }
  return null;
}

/** Records one inbound reply; see the module comment. */
export async function recordInboundReply(db: Db, reply: TInboundReply, options: { provider: string }): Promise<RecordReplyResult> {
  const from = normalizeEmail(reply.from);
  const autoReply = isAutoReply(reply.headers, reply.subject);
  const [sender, send] = await Promise.all([db.contact.findFirst({ where: { email: from, deletedAt: null }, select: { id: true } }), matchSend(db, reply)]);

  // The sender decides who replied. Only when the address is unknown (an
  // alias, a forwarding mailbox) does our own Message-ID in the headers
  // identify the contact: nobody else was sent that id.
  let contactId = sender?.id ?? null;
  if (!contactId && send) {
    const owner = await db.contact.findFirst({ where: { id: send.contactId, deletedAt: null }, select: { id: true } });
    contactId = owner?.id ?? null;
  }
  const answered = send && send.contactId === contactId ? send : null;
  // Anyone can put anyone's address in From. A reply ends sequences only
  // when it answers one of our messages, or the provider vouches for From.
  const verified = !!answered || (!!sender && senderAuthenticated(reply.headers, from));

  const messageId = reply.messageId ? stripAngleBrackets(reply.messageId).slice(0, 1000) || null : null;
  const exit =
    contactId && !autoReply && verified
      ? parseOrThrow(ZExitContactInput, { contactId, sequenceId: answered?.sequenceId, reason: "replied", detail: answered ? "reply to a sequence email" : "reply received" })
      : null;
  // The reply is stored and the enrollments it ends end in one transaction:
  // once the reply is visible, no send can claim a step (the claim re-checks
  // the enrollment under lock). Stored first and ended after, a step claimed
  // in between went out after the reply was recorded (tests/fault/reply-race.test.ts).
  const { duplicate, exited } = await db.$transaction(async (tx) => {
    const { count } = await tx.inboundReply.createMany({
      data: [
        {
          contactId,
          fromAddress: from,
          subject: (reply.subject ?? "").slice(0, 1000),
          inReplyTo: reply.inReplyTo?.trim().slice(0, 1000) || null,
          stepSendId: answered?.id ?? null,
          provider: options.provider,
          messageId,
          isAutoReply: autoReply,
          receivedAt: currentTime(),
        },
      ],
      // ON CONFLICT DO NOTHING on the unique Message-ID: concurrent retries store one row.
      skipDuplicates: true,
    });
    // An out-of-office reply never exits; it may hold the next step (a duplicate does not hold again).
    if (exit && count > 0) await recordOutboundEvent(tx, "contact.replied", { contactId: exit.contactId, sequenceId: answered?.sequenceId, subject: (reply.subject ?? "").slice(0, 200) });
    if (autoReply && verified && contactId && count > 0) await holdOnAutoReply(tx, { contactId, sequenceId: answered?.sequenceId, at: currentTime() });
    // A duplicate still exits: an exit is idempotent, and ending what is live costs nothing.
    const ended = exit ? await endLiveEnrollments(tx, exit) : [];
    // The step it answers gets the reply in its stats (once per message, whatever the retries),
    // in the same commit: one disk flush per reply, not two.
    if (answered && !autoReply && contactId) await attributeToSend(tx, { sendId: answered.id, contactId, kind: "replied", at: currentTime() });
    return { duplicate: count === 0, exited: ended };
  });

  if (!exit) return { matched: !!contactId, matchedSend: !!answered, autoReply, verified, duplicate, exited: 0 };
  await publishExitEvents(exit, exited);
  return { matched: true, matchedSend: !!answered, autoReply, verified, duplicate, exited: exited.length };
}
