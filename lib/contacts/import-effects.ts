/**
 * What an import batch's saved rows still do after their transaction
 * (import-save.ts: the contacts, their tags and the tag_added triggers'
 * enrollments) commits: the started runs are handed to the event sender,
 * then the scores' score_threshold triggers fire through enrollMany, the
 * bulk enrollment path. Tags before scores, as upsertContact does for one
 * contact.
 */
import type { Db } from "../db/prisma";
import type { OutgoingEvent } from "../events/publish";
import { enrollMany, publishStarted } from "../sequences/enroll-many";
import { crossesScoreThreshold } from "../sequences/triggers";
import type { SavedRow } from "./import-save";

export async function applyImportEffects(db: Db, saved: SavedRow[], started: OutgoingEvent[], options: { fireTriggers: boolean }): Promise<void> {
  await publishStarted(started);
  if (options.fireTriggers) await fireScoreTriggers(db, saved);
}

/**
 * Enrolls the contacts whose score rose across an active sequence's
 * score_threshold, crediting the oldest matching trigger (fireScoreTriggers'
 * rule for one contact), in one enrollMany call.
 */
async function fireScoreTriggers(db: Db, saved: SavedRow[]): Promise<void> {
  const rising = saved.filter((row) => row.score && row.score.next > row.score.previous);
  if (rising.length === 0) return;
  const triggers = await db.sequenceTrigger.findMany({
    where: { type: "score_threshold", sequence: { status: "active" } },
    orderBy: { createdAt: "asc" },
    select: { id: true, sequenceId: true, scoreThreshold: true },
  });
  const pairs = new Map<string, { contactId: string; sequenceId: string; triggerId: string }>();
  for (const row of rising) {
    const { previous, next } = row.score!;
    for (const trigger of triggers) {
      const key = `${row.contactId}|${trigger.sequenceId}`;
      if (trigger.scoreThreshold === null || pairs.has(key) || !crossesScoreThreshold(previous, next, trigger.scoreThreshold)) continue;
      pairs.set(key, { contactId: row.contactId, sequenceId: trigger.sequenceId, triggerId: trigger.id });
    }
  }
  if (pairs.size > 0) await enrollMany(db, { pairs: [...pairs.values()], source: "trigger:score_threshold" });
}
