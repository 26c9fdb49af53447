import "server-only";
/**
 * A batch of messages read from the mailbox: which are ours is decided from
 * their headers and one database look-up of every Message-ID they refer to;
 * only those are parsed (a delivery report fetched whole first) and handled
 * together (handle-message.ts): the batch's bounces and replies recorded in
 * one transaction, through the webhooks' paths.
 */
import type { Db } from "../db/prisma";
import { sendFinder } from "../replies/reply-lookups";
import { handleMessages, IDS_PER_MESSAGE, type Handled, type HandleOptions } from "./handle-message";
import { scanHeaders, type HeaderFacts } from "./header-scan";
import type { MessageHead } from "./imap-client";
import { parseMessage, type ParsedMessage } from "./parse-message";

/** Our stored sends, by Message-ID: only which ids are ours matters here. */
type Ours = ReadonlyMap<string, unknown>;

const refersTo = (facts: HeaderFacts, ours: Ours) => facts.referencedIds.slice(0, IDS_PER_MESSAGE).some((id) => ours.has(id));

/** Worth parsing: refers to one of ours, or may be a bounce (a report, or mail to a VERP return path). */
function mayBeOurs(facts: HeaderFacts, ours: Ours): boolean {
  return facts.isReport || refersTo(facts, ours) || facts.deliveredTo.some((a) => a.startsWith("bounces+"));
}

/**
 * What each message meant, in the order given. `sourcesOf` fetches whole
 * messages by UID: only delivery reports need more than their headers.
 * `inSameCommit` runs in the transaction that records the batch (the
 * reader's cursor), with what every message of the batch meant.
 */
export async function handleBatch(
  db: Db,
  heads: MessageHead[],
  sourcesOf: (uids: number[]) => Promise<Map<number, Buffer>>,
  inSameCommit?: HandleOptions["inSameCommit"],
): Promise<Handled[]> {
  const facts = heads.map((m) => scanHeaders(m.header));
  // One finder for the batch: what the headers name is looked up once, here, and not again below.
  const findSends = sendFinder(db);
  // Reports are fetched whole whatever the look-up finds: both at once.
  const [ours, sources] = await Promise.all([
    findSends(facts.flatMap((f) => f.referencedIds.slice(0, IDS_PER_MESSAGE))),
    sourcesOf(heads.flatMap((head, i) => (facts[i].isReport ? [head.uid] : []))),
  ]);
  const todo = heads.map((_, i) => i).filter((i) => mayBeOurs(facts[i], ours));
  const messages: ParsedMessage[] = [];
  const parsed: number[] = [];
  for (const i of todo) {
    // A report expunged before its body was fetched is left for what it is: gone.
    const source = facts[i].isReport ? sources.get(heads[i].uid) : heads[i].header;
    if (!source) continue;
    messages.push(parseMessage(source));
    parsed.push(i);
  }
  // Every message of the batch: what was parsed, as handled; the rest is not ours.
  const position = new Map(parsed.map((i, k) => [i, k]));
  const all = (handled: Handled[]) => heads.map((_, i): Handled => (position.has(i) ? handled[position.get(i)!] : { kind: "ignored", reason: "not_ours" }));
  const handled = await handleMessages(db, messages, {
    deliveredTo: parsed.map((i) => facts[i].deliveredTo),
    findSends,
    inSameCommit: inSameCommit && ((tx, handled) => inSameCommit(tx, all(handled))),
  });
  return all(handled);
}
