import "server-only";
/**
 * A batch of messages read from the mailbox: which are ours is decided from
 * their headers and one database look-up of every Message-ID they refer to;
 * only those are parsed, and handled together (handle-message.ts): the
 * replies recorded in one transaction, the bounces in another, through the
 * webhooks' paths.
 */
import type { Db } from "../db/prisma";
import { handleMessages, type Handled } from "./handle-message";
import { scanHeaders, type HeaderFacts } from "./header-scan";
import type { RawMessage } from "./imap-client";
import { parseMessage } from "./parse-message";

/** As many as handle-message looks at. */
const IDS_PER_MESSAGE = 20;

/** The Message-IDs among these that we stored for a sent step. */
async function storedIds(db: Db, ids: string[]): Promise<Set<string>> {
  const wanted = [...new Set(ids)].filter((id) => id.length <= 255);
  if (wanted.length === 0) return new Set();
  const rows = await db.stepSend.findMany({ where: { messageId: { in: wanted } }, select: { messageId: true } });
  return new Set(rows.map((r) => r.messageId!));
}

const refersTo = (facts: HeaderFacts, ours: Set<string>) => facts.referencedIds.slice(0, IDS_PER_MESSAGE).some((id) => ours.has(id));

/** Worth parsing: refers to one of ours, or may be a bounce (a report, or mail to a VERP return path). */
function mayBeOurs(facts: HeaderFacts, ours: Set<string>): boolean {
  return facts.isReport || refersTo(facts, ours) || facts.deliveredTo.some((a) => a.startsWith("bounces+"));
}

/** What each message meant, in the order given. */
export async function handleBatch(db: Db, messages: RawMessage[]): Promise<Handled[]> {
  const facts = messages.map((m) => scanHeaders(m.source));
  const ours = await storedIds(db, facts.flatMap((f) => f.referencedIds.slice(0, IDS_PER_MESSAGE)));
  const results: Handled[] = messages.map(() => ({ kind: "ignored", reason: "not_ours" }));
  const todo = messages.map((_, i) => i).filter((i) => mayBeOurs(facts[i], ours));
  const items = [];
  for (const i of todo) items.push({ message: await parseMessage(messages[i].source), known: { deliveredTo: facts[i].deliveredTo, refersToOurs: refersTo(facts[i], ours) } });
  const handled = await handleMessages(db, items);
  todo.forEach((i, k) => (results[i] = handled[k]));
  return results;
}
