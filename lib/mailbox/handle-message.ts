import "server-only";
/**
 * What messages read from the mailbox mean, fed into the same paths the
 * webhooks use: the reply path (record-reply.ts) for replies, the bounce
 * path (markBouncedIn) for bounces. Only mail that refers to a Message-ID
 * we stored counts: the inbox also holds newsletters, colleagues' mail and
 * forged bounces. A batch is recorded in one transaction and a fixed number
 * of statements, not per message; the reader advances its cursor in the
 * same commit (`inSameCommit`).
 */
import { announceBounces, markBouncedIn, type BounceInput, type MarkBouncedOutcome } from "../contacts/bounce";
import { normalizeEmail } from "../contacts/email";
import type { Db, Tx } from "../db/prisma";
import { mailConfig } from "../email/config";
import { announceReplies, planReplies, writeReplies, type WrittenReply } from "../replies/record-reply";
import { sendFinder, type MatchedSend, type SendFinder } from "../replies/reply-lookups";
import type { ParsedMessage } from "./parse-message";
import { messageIdOfReturnPath } from "./verp";

export type Handled =
  | { kind: "reply"; exited: number }
  | { kind: "auto_reply" }
  | { kind: "bounce"; bounced: number }
  | { kind: "ignored"; reason: "not_ours" | "no_sender" | "soft_bounce" | "bounce_not_ours" };

/** As many of a message's ids as are looked at (the batch's look-up too: handle-batch.ts). */
export const IDS_PER_MESSAGE = 20;

const firstOurs = (ids: string[], ours: Map<string, MatchedSend>) => ids.slice(0, IDS_PER_MESSAGE).map((id) => ours.get(id)).find((s) => s) ?? null;

export type HandleOptions = {
  /** The addresses each message was delivered to (header-scan.ts): where a VERP return path shows. */
  deliveredTo?: string[][];
  /** A finder the caller already asked (the reader's batch): ids it knows are not looked up again. */
  findSends?: SendFinder;
  /** Runs in the transaction that records the messages, with what each meant. */
  inSameCommit?: (tx: Tx, handled: Handled[]) => Promise<void>;
};

/** One message alone. */
export async function handleMessage(db: Db, message: ParsedMessage, deliveredTo: string[] = []): Promise<Handled> {
  const [handled] = await handleMessages(db, [message], { deliveredTo: [deliveredTo] });
  return handled;
}

/** What each message meant, in the order given. */
export async function handleMessages(db: Db, messages: ParsedMessage[], options: HandleOptions = {}): Promise<Handled[]> {
  const domain = mailConfig().messageIdDomain;
  const findSends = options.findSends ?? sendFinder(db);
  const byReturnPath = messages.map((message, i) => (message.dsn ? (options.deliveredTo?.[i] ?? []).flatMap((a) => messageIdOfReturnPath(a, domain) ?? []) : []));
  // The bounces' returned and return-path ids and the replies' ids: one look-up, of those not asked before.
  const ours = await findSends(
    messages.flatMap((message, i) =>
      message.dsn ? [...message.returnedMessageIds.slice(0, IDS_PER_MESSAGE), ...byReturnPath[i].slice(0, IDS_PER_MESSAGE)] : message.referencedIds.slice(0, IDS_PER_MESSAGE),
    ),
  );

  const results: Handled[] = messages.map(() => ({ kind: "ignored", reason: "not_ours" }));
  const replies: number[] = [];
  const bounces: { at: number; input: BounceInput }[] = [];
  messages.forEach((message, i) => {
    if (message.dsn) {
      const bounce = bounceOf(message, firstOurs(message.returnedMessageIds, ours) ?? firstOurs(byReturnPath[i], ours));
      if ("input" in bounce) bounces.push({ at: i, input: bounce.input });
      else results[i] = bounce;
    } else if (!message.from) results[i] = { kind: "ignored", reason: "no_sender" };
    else if (firstOurs(message.referencedIds, ours)) replies.push(i);
  });

  const planned = await planReplies(
    db,
    replies.map((i) => {
      const message = messages[i];
      return { from: message.from!, subject: message.subject, inReplyTo: message.inReplyTo ?? undefined, messageId: message.messageId ?? undefined, headers: message.headers };
    }),
    findSends,
  );
  if (planned.length === 0 && bounces.length === 0 && !options.inSameCommit) return results;

  // The bounces first: they lock contacts and then their enrollments, the
  // order every path takes (claim-step.ts); the replies then lock only
  // enrollments, and a contact bounced here has none live left to end.
  let marked: MarkBouncedOutcome[] = [];
  let written: WrittenReply[] = [];
  await db.$transaction(async (tx) => {
    marked = await markBouncedIn(tx, bounces.map((b) => b.input));
    written = await writeReplies(tx, planned, { provider: "imap" });
    bounces.forEach(({ at }, k) => (results[at] = { kind: "bounce", bounced: marked[k].outcome === "bounced" ? 1 : 0 }));
    replies.forEach((i, k) => (results[i] = planned[k].autoReply ? { kind: "auto_reply" } : { kind: "reply", exited: written[k].exited.length }));
    await options.inSameCommit?.(tx, results);
  });
  await announceBounces(marked);
  await announceReplies(planned, written);
  return results;
}

/**
 * A hard bounce (Action: failed, Status 5.x.x) of a message we sent to that
 * very address. The report must name the send: by our stored Message-ID in
 * its returned headers, or by arriving at the send's VERP return path
 * (verp.ts) when it returns no headers. Both are unguessable: anyone can
 * mail the inbox a delivery report naming any address.
 */
function bounceOf(message: ParsedMessage, send: MatchedSend | null): { input: BounceInput } | Extract<Handled, { kind: "ignored" }> {
  if (!send) return { kind: "ignored", reason: "bounce_not_ours" };
  const sentTo = normalizeEmail(send.email);
  const failed = (message.dsn ?? []).filter((r) => r.action === "failed" && /^5\./.test(r.status));
  if (failed.length === 0) return { kind: "ignored", reason: "soft_bounce" };
  const ours = failed.find((r) => [r.finalRecipient, r.originalRecipient].some((a) => a && normalizeEmail(a) === sentTo));
  if (!ours) return { kind: "ignored", reason: "bounce_not_ours" };
  const detail = `Delivery status ${ours.status}${ours.diagnostic ? `: ${ours.diagnostic.slice(0, 300)}` : ""} (read from the mailbox)`;
  return { input: { email: sentTo, kind: "hard", detail, sendId: send.id } };
}
