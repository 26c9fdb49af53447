import { now as currentTime } from "../clock";
import type { Db, Tx } from "../db/prisma";
import { idArray } from "../db/sql";
import { BULK_TRANSACTION_TIMEOUT_MS, publishStarted } from "../sequences/enroll-many";
import {
  activeTagTriggers,
  EMPTY_SUMMARY,
  enrollForNewLinks,
  type ChangeSource,
  type SequenceTriggerSummary,
  type TriggerSummary,
} from "../triggers/fire";
import { ZTagNames } from "../validations/contact";
import { assertIds } from "../validations/ids";
import { parseOrThrow } from "../validations/parse";

export type AddTagsResult = {
  tags: { id: string; name: string }[];
  added: number;
  triggers: TriggerSummary;
  /** The same enrollments, per sequence (only sequences a trigger fired for). */
  triggersBySequence: SequenceTriggerSummary[];
};

/**
 * Adds tags to many contacts in one statement, creating missing tags
 * (matched case-insensitively). Triggers fire only for links this call
 * inserted, so a tag added twice (even concurrently) enrolls once. Deleted
 * or unknown contacts are skipped.
 */
export async function addTags(
  db: Db,
  input: { contactIds: string[]; tagNames: string[]; source: ChangeSource; fireTriggers?: boolean },
): Promise<AddTagsResult> {
  const contactIds = [...new Set(assertIds(input.contactIds, "contactIds"))];
  const tags = await ensureTags(db, parseOrThrow(ZTagNames, input.tagNames));
  if (contactIds.length === 0 || tags.length === 0) return { tags, added: 0, triggers: { ...EMPTY_SUMMARY }, triggersBySequence: [] };

  const tagIds = tags.map((t) => t.id);
  const triggers = (input.fireTriggers ?? true) ? await activeTagTriggers(db, tagIds) : [];
  if (triggers.length === 0) {
    const inserted = await insertTagLinks(db, linksOf(contactIds, tagIds));
    return { tags, added: inserted.length, triggers: { ...EMPTY_SUMMARY }, triggersBySequence: [] };
  }
  // The links and the enrollments they trigger commit together, so no link
  // is ever left whose trigger did not fire; a handful of set-based
  // statements whatever the number of contacts.
  const { added, summary, bySequence, started } = await db.$transaction(
    async (tx) => {
      const inserted = await insertTagLinks(tx, linksOf(contactIds, tagIds));
      return { added: inserted.length, ...(await enrollForNewLinks(tx, inserted, triggers)) };
    },
    { timeout: BULK_TRANSACTION_TIMEOUT_MS },
  );
  await publishStarted(started);
  return { tags, added, triggers: summary, triggersBySequence: bySequence };
}

type TagLink = { contactId: string; tagId: string };

/** Every tag on every contact, as links. */
const linksOf = (contactIds: string[], tagIds: string[]): TagLink[] => contactIds.flatMap((contactId) => tagIds.map((tagId) => ({ contactId, tagId })));

/** Inserts the links that do not exist yet (live contacts only) and returns them (addTags; the import, import-tags.ts). */
export async function insertTagLinks(client: Db | Tx, links: TagLink[]): Promise<TagLink[]> {
  // ORDER BY: concurrent overlapping calls take the primary-key locks in
  // the same order, so they wait for each other instead of deadlocking.
  const [{ inserted }] = await client.$queryRaw<{ inserted: string }[]>`
    WITH inserted AS (
      INSERT INTO "ContactTag" ("contactId", "tagId", "createdAt")
      SELECT p."contactId", p."tagId", ${currentTime().toISOString()}::timestamp(3)
      FROM unnest(${idArray(links.map((p) => p.contactId))}, ${idArray(links.map((p) => p.tagId))}) AS p("contactId", "tagId")
      JOIN "Contact" c ON c."id" = p."contactId" AND c."deletedAt" IS NULL
      ORDER BY p."contactId", p."tagId"
      ON CONFLICT ("contactId", "tagId") DO NOTHING
      RETURNING "contactId", "tagId"
    )
    SELECT coalesce(json_agg(json_build_array("contactId", "tagId")), '[]')::text AS "inserted" FROM inserted`;
  return (JSON.parse(inserted) as [string, string][]).map(([contactId, tagId]) => ({ contactId, tagId }));
}

/** Removes tags (by name, case-insensitively) from many contacts in one statement. */
export async function removeTags(db: Db, input: { contactIds: string[]; tagNames: string[] }): Promise<{ removed: number }> {
  const contactIds = [...new Set(assertIds(input.contactIds, "contactIds"))];
  const names = uniqueNames(parseOrThrow(ZTagNames, input.tagNames));
  if (contactIds.length === 0 || names.length === 0) return { removed: 0 };
  const removed = await db.$executeRaw`
    DELETE FROM "ContactTag" ct USING "Tag" t
    WHERE ct."tagId" = t."id"
      AND lower(t."name") = ANY(${names.map((n) => n.toLowerCase())}::text[])
      AND ct."contactId" = ANY(${contactIds}::text[])`;
  return { removed };
}

/** The tags with these names, creating the missing ones; one per name, case-insensitively. */
export async function ensureTags(db: Db, tagNames: string[]): Promise<{ id: string; name: string }[]> {
  const names = uniqueNames(tagNames);
  if (names.length === 0) return [];
  const lowered = names.map((n) => n.toLowerCase());
  const find = (client: Pick<Db, "$queryRaw">) => client.$queryRaw<{ id: string; name: string }[]>`
    SELECT DISTINCT ON (lower("name")) "id", "name" FROM "Tag"
    WHERE lower("name") = ANY(${lowered}::text[]) ORDER BY lower("name"), "createdAt" ASC`;

  const existing = await find(db);
  if (existing.length === lowered.length) return existing;

  return db.$transaction(async (tx) => {
    // The unique index on Tag.name is case-sensitive: serialize creators of
    // the same lower-cased name so "VIP" and "vip" cannot both be created.
    await tx.$executeRaw`
      SELECT pg_advisory_xact_lock(hashtextextended('tag:' || n, 0))
      FROM unnest(${[...lowered].sort()}::text[]) AS n ORDER BY n`;
    const found = await find(tx);
    const have = new Set(found.map((t) => t.name.toLowerCase()));
    const missing = names.filter((n) => !have.has(n.toLowerCase()));
    if (missing.length === 0) return found;
    const created = await tx.$queryRaw<{ id: string; name: string }[]>`
      INSERT INTO "Tag" ("id", "name", "createdAt")
      SELECT gen_random_uuid()::text, n, ${currentTime().toISOString()}::timestamp(3) FROM unnest(${missing}::text[]) AS n
      ON CONFLICT ("name") DO NOTHING
      RETURNING "id", "name"`;
    return [...found, ...created];
  });
}

/** Trimmed, first spelling wins among case-insensitive duplicates. */
function uniqueNames(names: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of names) {
    const name = raw.trim();
    const key = name.toLowerCase();
    if (name && !seen.has(key)) {
      seen.add(key);
      out.push(name);
    }
  }
  return out;
}
