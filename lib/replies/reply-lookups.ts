/**
 * What recording replies needs to know before it writes, for many replies
 * at once: the contacts their senders are, and the sends their headers
 * answer. A fixed number of look-ups whatever the number of replies (the
 * mailbox reader records a batch of them; a webhook, one), each straight on
 * the client's pool (lib/db/direct.ts) with its ids as one array parameter.
 */
import { queryRows } from "../db/direct";
import { Prisma, type Db } from "../db/prisma";
import { lowerCaseKeys } from "./auto-reply";
import { messageIdsIn, type TInboundReply } from "./normalize";

/** A stored send: its enrollment's contact and sequence, and the address it went to. */
export type MatchedSend = { id: string; contactId: string; sequenceId: string; email: string };

/**
 * The Message-IDs a reply may answer: In-Reply-To names the message
 * answered; References (newest last) is the fallback for clients that leave
 * In-Reply-To out. In that order; ids are opaque (lib/email/message-id.ts).
 */
export function candidateIds(reply: TInboundReply): string[] {
  return [...messageIdsIn(reply.inReplyTo), ...messageIdsIn(lowerCaseKeys(reply.headers ?? {})["references"]).reverse()]
    .slice(0, 20)
    .filter((id) => id.length <= 255);
}

/**
 * Stored sends by their Message-ID, with the enrollment's contact and
 * sequence and the recipient: one indexed look-up, the ids as one array
 * parameter (the mailbox reader's batch refers to hundreds, nearly all of
 * them not ours). Ids longer than a Message-ID column holds match nothing.
 */
export async function sendsByMessageId(db: Db, ids: string[]): Promise<Map<string, MatchedSend>> {
  const wanted = [...new Set(ids)].filter((id) => id.length <= 255);
  if (wanted.length === 0) return new Map();
  const rows = await queryRows<MatchedSend & { messageId: string }>(
    db,
    Prisma.sql`SELECT ss."id", ss."messageId", e."contactId", e."sequenceId", c."email"
    FROM "StepSend" ss JOIN "Enrollment" e ON e."id" = ss."enrollmentId" JOIN "Contact" c ON c."id" = e."contactId"
    WHERE ss."messageId" = ANY(${wanted}::text[])`,
  );
  return new Map(rows.map(({ messageId, ...send }) => [messageId, send]));
}

/** Stored sends by Message-ID (sendsByMessageId), each id looked up at most once however often asked. */
export type SendFinder = (ids: string[]) => Promise<Map<string, MatchedSend>>;

/**
 * A SendFinder that remembers what it found and what it did not: the
 * mailbox reader's batch asks for every id its headers name, and then, for
 * the few messages that are ours, for the same ids again (and a report's
 * returned ids): only ids not asked before reach the database.
 */
export function sendFinder(db: Db): SendFinder {
  const known = new Map<string, MatchedSend | null>();
  return async (ids) => {
    const missing = [...new Set(ids)].filter((id) => !known.has(id));
    if (missing.length > 0) {
      const found = await sendsByMessageId(db, missing);
      for (const id of missing) known.set(id, found.get(id) ?? null);
    }
    const sends = new Map<string, MatchedSend>();
    for (const id of ids) {
      const send = known.get(id);
      if (send) sends.set(id, send);
    }
    return sends;
  };
}

/** The first candidate that is one of our sends. */
export function matchSend(candidates: string[], sends: Map<string, MatchedSend>): MatchedSend | null {
  for (const id of candidates) {
    const send = sends.get(id);
    if (send) return send;
  }
  return null;
}

/** Not-deleted contacts by (normalized) email. */
export async function contactsByEmail(db: Db, emails: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(emails)];
  if (wanted.length === 0) return new Map();
  const rows = await queryRows<{ id: string; email: string }>(db, Prisma.sql`SELECT "id", "email" FROM "Contact" WHERE "email" = ANY(${wanted}::text[]) AND "deletedAt" IS NULL`);
  return new Map(rows.map((r) => [r.email, r.id]));
}

/** Of these contact ids, the ones not deleted. */
export async function liveContacts(db: Db, ids: string[]): Promise<Set<string>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Set();
  const rows = await queryRows<{ id: string }>(db, Prisma.sql`SELECT "id" FROM "Contact" WHERE "id" = ANY(${wanted}::text[]) AND "deletedAt" IS NULL`);
  return new Set(rows.map((r) => r.id));
}
