/**
 * Stores an inbound reply, matches it to the contact and (through
 * In-Reply-To) to the message it answers, and ends the sequences that exit
 * on reply, if it is verified (answers our Message-ID, or the provider
 * authenticated the From domain: see sender-auth.ts). Auto-replies are stored but end nothing;
 * they may hold the next step (hold-on-auto-reply.ts). A reply the provider
 * delivers again (webhook retries) is stored once, by its Message-ID.
 */
import { randomUUID } from "node:crypto";
import { now as currentTime } from "../clock";
import { normalizeEmail } from "../contacts/email";
import type { Db, Tx } from "../db/prisma";
import { recordOutboundEvents } from "../outbound-webhooks/record";
import { endLiveEnrollmentsMany, publishExitEvents, type ExitedEnrollment } from "../sequences/exit-contact";
import { ZExitContactInput, type TExitContactInput } from "../validations/enrollment";
import { parseOrThrow } from "../validations/parse";
import { attributeToSends } from "../tracking/attribution";
import { isAutoReply } from "./auto-reply";
import { holdOnAutoReplies } from "./hold-on-auto-reply";
import { senderAuthenticated } from "./sender-auth";
import { stripAngleBrackets, type TInboundReply } from "./normalize";
import { candidateIds, contactsByEmail, liveContacts, matchSend, sendFinder, type MatchedSend, type SendFinder } from "./reply-lookups";

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

/** One reply, as far as it is known before anything is written. */
export type PlannedReply = {
  reply: TInboundReply;
  from: string;
  autoReply: boolean;
  contactId: string | null;
  answered: MatchedSend | null;
  verified: boolean;
  exit: TExitContactInput | null;
};

/** What writing one planned reply did. */
export type WrittenReply = { duplicate: boolean; exited: ExitedEnrollment[] };

/**
 * Who each reply is from and what it answers: a fixed number of look-ups
 * for all of them (reply-lookups.ts). `findSends` may be one the caller
 * already asked (the mailbox reader's batch): ids it knows cost nothing.
 */
export async function planReplies(db: Db, replies: TInboundReply[], findSends: SendFinder = sendFinder(db)): Promise<PlannedReply[]> {
  const froms = replies.map((r) => normalizeEmail(r.from));
  const candidates = replies.map(candidateIds);
  const [senders, sends] = await Promise.all([contactsByEmail(db, froms), findSends(candidates.flat())]);
  const matched = candidates.map((ids) => matchSend(ids, sends));
  // The sender decides who replied. Only when the address is unknown (an
  // alias, a forwarding mailbox) does our own Message-ID in the headers
  // identify the contact: nobody else was sent that id.
  const owners = await liveContacts(db, matched.flatMap((send, i) => (send && !senders.has(froms[i]) ? [send.contactId] : [])));
  return replies.map((reply, i) => {
    const from = froms[i];
    const send = matched[i];
    const sender = senders.get(from) ?? null;
    const contactId = sender ?? (send && owners.has(send.contactId) ? send.contactId : null);
    const answered = send && send.contactId === contactId ? send : null;
    // Anyone can put anyone's address in From. A reply ends sequences only
    // when it answers one of our messages, or the provider vouches for From.
    const verified = !!answered || (!!sender && senderAuthenticated(reply.headers, from));
    const autoReply = isAutoReply(reply.headers, reply.subject);
    const exit =
      contactId && !autoReply && verified
        ? parseOrThrow(ZExitContactInput, { contactId, sequenceId: answered?.sequenceId, reason: "replied", detail: answered ? "reply to a sequence email" : "reply received" })
        : null;
    return { reply, from, autoReply, contactId, answered, verified, exit };
  });
}

/** Records one inbound reply; see the module comment. */
export async function recordInboundReply(db: Db, reply: TInboundReply, options: { provider: string }): Promise<RecordReplyResult> {
  const [result] = await recordInboundReplies(db, [reply], options);
  return result;
}

/**
 * Records several inbound replies as recordInboundReply records each, in
 * one transaction: the same rows, events and exits, one commit. Results in
 * the order given.
 */
export async function recordInboundReplies(db: Db, replies: TInboundReply[], options: { provider: string }): Promise<RecordReplyResult[]> {
  if (replies.length === 0) return [];
  const planned = await planReplies(db, replies);
  const written = await db.$transaction((tx) => writeReplies(tx, planned, options));
  return announceReplies(planned, written);
}

/**
 * The planned replies' rows, events and exits, in the caller's transaction
 * (the mailbox reader commits a batch's bounces, replies and cursor
 * together), in a fixed number of statements whatever their number.
 */
export async function writeReplies(tx: Tx, planned: PlannedReply[], options: { provider: string }): Promise<WrittenReply[]> {
  if (planned.length === 0) return [];
  // Each reply is stored and the enrollments it ends end in the same
  // transaction: once the reply is visible, no send can claim a step (the
  // claim re-checks the enrollment under lock). Stored first and ended
  // after, a step claimed in between went out after the reply was recorded
  // (tests/fault/reply-race.test.ts).
  const at = currentTime();
  const ids = planned.map(() => randomUUID());
  const column = <T>(pick: (p: PlannedReply) => T) => planned.map(pick);
  // ON CONFLICT DO NOTHING on the unique Message-ID: concurrent retries
  // (and the same message twice in one batch) store one row.
  const stored = new Set(
    (
      await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO "InboundReply" ("id", "contactId", "fromAddress", "subject", "inReplyTo", "stepSendId", "messageId", "isAutoReply", "provider", "receivedAt")
        SELECT r."id", r."contactId", r."fromAddress", r."subject", r."inReplyTo", r."stepSendId", r."messageId", r."isAutoReply", ${options.provider}, ${at}::timestamp(3)
        FROM unnest(
          ${ids}::text[], ${column((p) => p.contactId)}::text[], ${column((p) => p.from)}::text[], ${column((p) => (p.reply.subject ?? "").slice(0, 1000))}::text[],
          ${column((p) => p.reply.inReplyTo?.trim().slice(0, 1000) || null)}::text[], ${column((p) => p.answered?.id ?? null)}::text[],
          ${column((p) => (p.reply.messageId ? stripAngleBrackets(p.reply.messageId).slice(0, 1000) || null : null))}::text[], ${column((p) => p.autoReply)}::boolean[]
        ) WITH ORDINALITY AS r("id", "contactId", "fromAddress", "subject", "inReplyTo", "stepSendId", "messageId", "isAutoReply", "n")
        -- In the order given: of one message read twice, the first is stored.
        ORDER BY r."n"
        ON CONFLICT DO NOTHING
        RETURNING "id"`
    ).map((r) => r.id),
  );
  const fresh = ids.map((id) => stored.has(id));
  // A fixed number of statements for the whole batch, each as the one-reply path did it.
  // A reply that ends something is announced once (a duplicate is not).
  const exits = planned.flatMap((p, i) => (p.exit && fresh[i] ? [{ contactId: p.exit.contactId, sequenceId: p.answered?.sequenceId, subject: (p.reply.subject ?? "").slice(0, 200) }] : []));
  await recordOutboundEvents(tx, "contact.replied", exits, at);
  // A duplicate still exits: an exit is idempotent, and ending what is live costs nothing.
  const ending = planned.flatMap((p, i) => (p.exit ? [i] : []));
  const ended = await endLiveEnrollmentsMany(tx, ending.map((i) => planned[i].exit!));
  // An out-of-office reply never exits; it may hold the next step (a duplicate does not hold again).
  // After the exits: a contact who also replied in earnest has nothing left to hold.
  await holdOnAutoReplies(
    tx,
    planned.flatMap((p, i) => (p.autoReply && p.verified && p.contactId && fresh[i] ? [{ contactId: p.contactId, sequenceId: p.answered?.sequenceId }] : [])),
    at,
  );
  // The step it answers gets the reply in its stats (once per message, whatever the retries), in the same commit.
  await attributeToSends(tx, planned.flatMap((p) => (p.answered && !p.autoReply && p.contactId ? [{ sendId: p.answered.id, contactId: p.contactId }] : [])), "replied", at);
  return planned.map((_, i) => ({ duplicate: !fresh[i], exited: ended[ending.indexOf(i)] ?? [] }));
}

/** The cancel events of committed replies (after the commit, never before), and each reply's result. */
export async function announceReplies(planned: PlannedReply[], written: WrittenReply[]): Promise<RecordReplyResult[]> {
  return Promise.all(
    planned.map(async ({ exit, contactId, answered, autoReply, verified }, i) => {
      const { duplicate, exited } = written[i];
      if (!exit) return { matched: !!contactId, matchedSend: !!answered, autoReply, verified, duplicate, exited: 0 };
      await publishExitEvents(exit, exited);
      return { matched: true, matchedSend: !!answered, autoReply, verified, duplicate, exited: exited.length };
    }),
  );
}
