import "server-only";
/**
 * A batch of messages read from the mailbox: which are ours is decided from
 * their headers and one database look-up of every Message-ID they refer to;
 * only those are parsed (a delivery report fetched whole first), and handled together (handle-message.ts): the
 * replies recorded in one transaction, the bounces in another, through the
 * webhooks' paths.
 */
import type { Db } from "../db/prisma";
import { sendsByMessageId } from "../replies/reply-lookups";
import { handleMessages, type Handled } from "./handle-message";
import { scanHeaders, type HeaderFacts } from "./header-scan";
import type { MessageHead } from "./imap-client";
import { parseMessage } from "./parse-message";

/** As many as handle-message looks at. */
const IDS_PER_MESSAGE = 20;

/** Our stored sends, by Message-ID (sendsByMessageId): only which ids are ours matters here. */
type Ours = ReadonlyMap<string, unknown>;

const refersTo = (facts: HeaderFacts, ours: Ours) => facts.referencedIds.slice(0, IDS_PER_MESSAGE).some((id) => ours.has(id));

/** Worth parsing: refers to one of ours, or may be a bounce (a report, or mail to a VERP return path). */
function mayBeOurs(facts: HeaderFacts, ours: Ours): boolean {
  return facts.isReport || refersTo(facts, ours) || facts.deliveredTo.some((a) => a.startsWith("bounces+"));
}

/**
 * What each message meant, in the order given. `sourcesOf` fetches whole
 * messages by UID: only delivery reports need more than their headers.
 */
export async function handleBatch(db: Db, heads: MessageHead[], sourcesOf: (uids: number[]) => Promise<Map<number, Buffer>>): Promise<Handled[]> {
  const facts = heads.map((m) => scanHeaders(m.header));
  const ours = await sendsByMessageId(db, facts.flatMap((f) => f.referencedIds.slice(0, IDS_PER_MESSAGE)));
  const results: Handled[] = heads.map(() => ({ kind: "ignored", reason: "not_ours" }));
  const todo = heads.map((_, i) => i).filter((i) => mayBeOurs(facts[i], ours));
  const sources = await sourcesOf(todo.filter((i) => facts[i].isReport).map((i) => heads[i].uid));
  const items = [];
  const parsed = [];
  for (const i of todo) {
    // A report expunged before its body was fetched is left for what it is: gone.
    const source = facts[i].isReport ? sources.get(heads[i].uid) : heads[i].header;
    if (!source) continue;
    items.push({ message: await parseMessage(source), known: { deliveredTo: facts[i].deliveredTo, refersToOurs: refersTo(facts[i], ours) } });
    parsed.push(i);
  }
  const handled = await handleMessages(db, items);
  parsed.forEach((i, k) => (results[i] = handled[k]));
  return results;
}
