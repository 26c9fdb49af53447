import "server-only";
/**
 * What messages read from the mailbox mean, fed into the same paths the
 * webhooks use: recordInboundReplies for replies, markBouncedMany for
 * bounces (recordInboundReply and markBounced are those for one). Only mail
 * that refers to a Message-ID we stored counts: the inbox also holds
 * newsletters, colleagues' mail and forged bounces. A batch is recorded in
 * a fixed number of statements per kind, not per message.
 */
import { markBouncedMany, type BounceInput } from "../contacts/bounce";
import { normalizeEmail } from "../contacts/email";
import type { Db } from "../db/prisma";
import { mailConfig } from "../email/config";
import { recordInboundReplies } from "../replies/record-reply";
import { sendsByMessageId, type MatchedSend } from "../replies/reply-lookups";
import type { ParsedMessage } from "./parse-message";
import { messageIdOfReturnPath } from "./verp";

export type Handled =
  | { kind: "reply"; exited: number }
  | { kind: "auto_reply" }
  | { kind: "bounce"; bounced: number }
  | { kind: "ignored"; reason: "not_ours" | "no_sender" | "soft_bounce" | "bounce_not_ours" };

/** As many of a message's ids as are looked at. */
const IDS_PER_MESSAGE = 20;

const firstOurs = (ids: string[], ours: Map<string, MatchedSend>) => ids.slice(0, IDS_PER_MESSAGE).map((id) => ours.get(id)).find((s) => s) ?? null;

/**
 * What the batch already knows from the headers: the addresses the message
 * was delivered to (where a VERP return path shows), and whether it refers
 * to one of our stored Message-IDs (handle-batch.ts looked them all up at once).
 */
export type Known = { deliveredTo: string[]; refersToOurs: boolean };

/** Without `known`, one message alone: its Message-IDs are looked up here. */
export async function handleMessage(db: Db, message: ParsedMessage, known?: Known): Promise<Handled> {
  const [handled] = await handleMessages(db, [{ message, known }]);
  return handled;
}

/** What each message meant, in the order given. */
export async function handleMessages(db: Db, items: { message: ParsedMessage; known?: Known }[]): Promise<Handled[]> {
  const domain = mailConfig().messageIdDomain;
  const byReturnPath = items.map(({ message, known }) => (message.dsn ? (known?.deliveredTo ?? []).flatMap((a) => messageIdOfReturnPath(a, domain) ?? []) : []));
  // One look-up: the bounces' returned and return-path ids, and the ids of replies the batch did not look up.
  const ours = await sendsByMessageId(
    db,
    items.flatMap(({ message, known }, i) =>
      message.dsn ? [...message.returnedMessageIds.slice(0, IDS_PER_MESSAGE), ...byReturnPath[i].slice(0, IDS_PER_MESSAGE)] : known ? [] : message.referencedIds.slice(0, IDS_PER_MESSAGE),
    ),
  );

  const results: Handled[] = items.map(() => ({ kind: "ignored", reason: "not_ours" }));
  const replies: number[] = [];
  const bounces: { at: number; input: BounceInput }[] = [];
  items.forEach(({ message, known }, i) => {
    if (message.dsn) {
      const bounce = bounceOf(message, firstOurs(message.returnedMessageIds, ours) ?? firstOurs(byReturnPath[i], ours));
      if ("input" in bounce) bounces.push({ at: i, input: bounce.input });
      else results[i] = bounce;
    } else if (!message.from) results[i] = { kind: "ignored", reason: "no_sender" };
    else if (known ? known.refersToOurs : firstOurs(message.referencedIds, ours)) replies.push(i);
  });

  const recorded = await recordInboundReplies(
    db,
    replies.map((i) => {
      const message = items[i].message;
      return { from: message.from!, subject: message.subject, inReplyTo: message.inReplyTo ?? undefined, messageId: message.messageId ?? undefined, headers: message.headers };
    }),
    { provider: "imap" },
  );
  replies.forEach((i, k) => (results[i] = recorded[k].autoReply ? { kind: "auto_reply" } : { kind: "reply", exited: recorded[k].exited }));

  const marked = await markBouncedMany(db, bounces.map((b) => b.input));
  bounces.forEach(({ at }, k) => (results[at] = { kind: "bounce", bounced: marked[k].outcome === "bounced" ? 1 : 0 }));
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
