/**
 * What an import batch's saved rows still do after their contacts are
 * written, set-based: their tags (links inserted in one statement, tag_added
 * triggers fired for the links it inserted, as addTags does) and then their
 * scores' score_threshold triggers, through enrollMany, the bulk enrollment
 * path. Tags before scores, as upsertContact does for one contact.
 */
import { now as currentTime } from "../clock";
import type { Db, Tx } from "../db/prisma";
import { idArray } from "../db/sql";
import { BULK_TRANSACTION_TIMEOUT_MS, enrollMany, publishStarted } from "../sequences/enroll-many";
import { crossesScoreThreshold } from "../sequences/triggers";
import { activeTagTriggers, enrollForNewLinks } from "../triggers/fire";
import type { SavedRow } from "./import-save";
import { ensureTags } from "./tags";

export async function applyImportEffects(db: Db, saved: SavedRow[], options: { fireTriggers: boolean }): Promise<void> {
  await addRowTags(db, saved, options.fireTriggers);
  if (options.fireTriggers) await fireScoreTriggers(db, saved);
}

/** Each row's tags on its contact; missing tags created (matched case-insensitively, the first spelling wins). */
async function addRowTags(db: Db, saved: SavedRow[], fireTriggers: boolean): Promise<void> {
  const tagged = saved.filter((row) => row.tags.length > 0);
  if (tagged.length === 0) return;
  const tags = await ensureTags(db, tagged.flatMap((row) => row.tags));
  const idByName = new Map(tags.map((t) => [t.name.toLowerCase(), t.id]));
  const links = new Map<string, { contactId: string; tagId: string }>();
  for (const row of tagged) {
    for (const name of row.tags) {
      const tagId = idByName.get(name.trim().toLowerCase());
      if (tagId) links.set(`${row.contactId}|${tagId}`, { contactId: row.contactId, tagId });
    }
  }
  const pairs = [...links.values()];
  const triggers = fireTriggers ? await activeTagTriggers(db, [...new Set(pairs.map((p) => p.tagId))]) : [];
  if (triggers.length === 0) {
    await insertLinks(db, pairs);
    return;
  }
  // The links and the enrollments they trigger commit together, as in addTags.
  const { started } = await db.$transaction(async (tx) => enrollForNewLinks(tx, await insertLinks(tx, pairs), triggers), {
    timeout: BULK_TRANSACTION_TIMEOUT_MS,
  });
  await publishStarted(started);
}

/** Inserts the links that do not exist yet (live contacts only) and returns them. */
async function insertLinks(client: Db | Tx, pairs: { contactId: string; tagId: string }[]): Promise<{ contactId: string; tagId: string }[]> {
  // ORDER BY: overlapping calls take the primary-key locks in the same order.
  const [{ links }] = await client.$queryRaw<{ links: string }[]>`
    WITH inserted AS (
      INSERT INTO "ContactTag" ("contactId", "tagId", "createdAt")
      SELECT p."contactId", p."tagId", ${currentTime().toISOString()}::timestamp(3)
      FROM unnest(${idArray(pairs.map((p) => p.contactId))}, ${idArray(pairs.map((p) => p.tagId))}) AS p("contactId", "tagId")
      JOIN "Contact" c ON c."id" = p."contactId" AND c."deletedAt" IS NULL
      ORDER BY p."contactId", p."tagId"
      ON CONFLICT ("contactId", "tagId") DO NOTHING
      RETURNING "contactId", "tagId"
    )
    SELECT coalesce(json_agg(json_build_array("contactId", "tagId")), '[]')::text AS "links" FROM inserted`;
  return (JSON.parse(links) as [string, string][]).map(([contactId, tagId]) => ({ contactId, tagId }));
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
