import "server-only";
/**
 * A batch of messages read from the mailbox: which are ours is decided from
 * their headers and one database look-up of every Message-ID they refer to;
 * only those are parsed and handled (handle-message.ts), a few at a time.
 * Handling in parallel is safe: the paths it feeds are the webhooks', which
 * take concurrent deliveries (a reply is stored once by its Message-ID, and
 * an exit or a bounce locks what it changes).
 */
import type { Db } from "../db/prisma";
import { handleMessage, type Handled } from "./handle-message";
import { scanHeaders, type HeaderFacts } from "./header-scan";
import type { RawMessage } from "./imap-client";
import { parseMessage } from "./parse-message";

/** Under the app's pool (10): the reader never starves the runs sending mail. */
const PARALLEL = 6;
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
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(PARALLEL, todo.length) }, async () => {
      while (next < todo.length) {
        const i = todo[next++];
        results[i] = await handleMessage(db, await parseMessage(messages[i].source), { deliveredTo: facts[i].deliveredTo, refersToOurs: refersTo(facts[i], ours) });
      }
    }),
  );
  return results;
}
