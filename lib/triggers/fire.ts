/**
 * Entry triggers, evaluated in one place whatever changed the contact (UI,
 * API, import, signup). Only active sequences' triggers fire; every
 * enrollment goes through enrollContact (or, for bulk changes, enrollMany,
 * which applies the same rules behind the same unique index).
 */
import type { Db, Tx } from "../db/prisma";
import type { OutgoingEvent } from "../events/publish";
import { enrollContact, type EnrollResult } from "../sequences/enroll-contact";
import { enrollMany, enrollPairs, pairKey, summarizeResults } from "../sequences/enroll-many";
import { crossesScoreThreshold, signupMatches, type EnrollmentSource } from "../sequences/triggers";

export type TriggerSummary = { enrolled: number; alreadyEnrolled: number; refused: number };
/** A TriggerSummary for one sequence. */
export type SequenceTriggerSummary = TriggerSummary & { sequenceId: string };

/** Where a contact change came from (the same words as ConsentEvent.source). */
export type ChangeSource = "admin" | "api" | "import" | "signup" | "seed";

type TriggeredPair = { contactId: string; sequenceId: string; triggerId: string };

/** Above this many enrollments at once, one set-based pass beats a transaction per pair. */
const BULK_THRESHOLD = 20;

export const EMPTY_SUMMARY: TriggerSummary = Object.freeze({ enrolled: 0, alreadyEnrolled: 0, refused: 0 });

export type TagTrigger = { id: string; sequenceId: string; tagId: string | null };

/** The tag_added triggers of active sequences on these tags, oldest first (the first one is credited). */
export function activeTagTriggers(db: Db | Tx, tagIds: string[]): Promise<TagTrigger[]> {
  return db.sequenceTrigger.findMany({
    where: { type: "tag_added", tagId: { in: tagIds }, sequence: { status: "active" } },
    orderBy: { createdAt: "asc" },
    select: { id: true, sequenceId: true, tagId: true },
  });
}

/**
 * Enrolls the contacts whose new tags (links this transaction inserted, so
 * a tag added twice enrolls once) match a tag_added trigger, inside the
 * caller's transaction. The caller publishes `started` (publishStarted)
 * after its commit.
 */
export async function enrollForNewLinks(
  tx: Tx,
  links: { contactId: string; tagId: string }[],
  triggers: TagTrigger[],
): Promise<{ summary: TriggerSummary; bySequence: SequenceTriggerSummary[]; started: OutgoingEvent[] }> {
  const pairs = dedupe(triggeredByLinks(links, triggers));
  if (pairs.length === 0) return { summary: { ...EMPTY_SUMMARY }, bySequence: [], started: [] };
  const { results, started } = await enrollPairs(tx, pairs, "trigger:tag_added");
  const resultsBySequence = new Map<string, EnrollResult[]>();
  for (const pair of pairs) {
    const result = results.get(pairKey(pair));
    if (!result) continue;
    const list = resultsBySequence.get(pair.sequenceId);
    if (list) list.push(result);
    else resultsBySequence.set(pair.sequenceId, [result]);
  }
  const bySequence = [...resultsBySequence].map(([sequenceId, list]) => ({ sequenceId, ...summarizeResults(list) }));
  return { summary: summarizeResults([...results.values()]), bySequence, started };
}

function triggeredByLinks(links: { contactId: string; tagId: string }[], triggers: TagTrigger[]): TriggeredPair[] {
  const triggersByTag = new Map<string, TagTrigger[]>();
  for (const trigger of triggers) {
    if (!trigger.tagId) continue;
    const list = triggersByTag.get(trigger.tagId);
    if (list) list.push(trigger);
    else triggersByTag.set(trigger.tagId, [trigger]);
  }
  const pairs: TriggeredPair[] = [];
  for (const { contactId, tagId } of links) {
    for (const trigger of triggersByTag.get(tagId) ?? []) pairs.push({ contactId, sequenceId: trigger.sequenceId, triggerId: trigger.id });
  }
  return pairs;
}

/** Enrolls a contact whose score rose across a score_threshold trigger's threshold. */
export async function fireScoreTriggers(db: Db, input: { contactId: string; previous: number; next: number }): Promise<TriggerSummary> {
  const { contactId, previous, next } = input;
  if (next <= previous) return { ...EMPTY_SUMMARY };
  const triggers = await db.sequenceTrigger.findMany({
    where: { type: "score_threshold", scoreThreshold: { gt: previous, lte: next }, sequence: { status: "active" } },
    orderBy: { createdAt: "asc" },
    select: { id: true, sequenceId: true, scoreThreshold: true },
  });
  const pairs = triggers
    .filter((t) => t.scoreThreshold !== null && crossesScoreThreshold(previous, next, t.scoreThreshold))
    .map((t) => ({ contactId, sequenceId: t.sequenceId, triggerId: t.id }));
  return enrollTriggered(db, pairs, "trigger:score_threshold");
}

/** Enrolls a contact who signed up, in sequences whose signup trigger matches the source. */
export async function fireSignupTriggers(db: Db, input: { contactId: string; signupSource?: string | null }): Promise<TriggerSummary> {
  const triggers = await db.sequenceTrigger.findMany({
    where: { type: "signup", sequence: { status: "active" } },
    orderBy: { createdAt: "asc" },
    select: { id: true, sequenceId: true, signupSource: true },
  });
  const pairs = triggers
    .filter((t) => signupMatches(t.signupSource, input.signupSource))
    .map((t) => ({ contactId: input.contactId, sequenceId: t.sequenceId, triggerId: t.id }));
  return enrollTriggered(db, pairs, "trigger:signup");
}

/** One enrollment per (contact, sequence), attributed to the first matching trigger. */
async function enrollTriggered(db: Db, pairs: TriggeredPair[], source: EnrollmentSource): Promise<TriggerSummary> {
  const unique = dedupe(pairs);
  if (unique.length === 0) return { ...EMPTY_SUMMARY };
  if (unique.length > BULK_THRESHOLD) return summarizeResults(await enrollMany(db, { pairs: unique, source }));

  const results: EnrollResult[] = [];
  for (const pair of unique) results.push(await enrollContact(db, { ...pair, source }));
  return summarizeResults(results);
}

/** One pair per (contact, sequence): the first, so the oldest matching trigger is credited. */
function dedupe(pairs: TriggeredPair[]): TriggeredPair[] {
  const seen = new Set<string>();
  return pairs.filter((p) => {
    const key = `${p.contactId}|${p.sequenceId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
