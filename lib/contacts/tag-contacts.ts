import "server-only";
import type { Db } from "../db/prisma";
import { ZTagNames } from "../validations/contact";
import { assertIds } from "../validations/ids";
import { parseOrThrow } from "../validations/parse";
import { addTags } from "./tags";

export type LiveTagSequence = { id: string; name: string };

export type SequenceEnrollments = { sequenceId: string; sequenceName: string; enrolled: number; alreadyEnrolled: number; refused: number };

export type TagContactsResult =
  /** The tag would enroll contacts: nothing was changed; ask, then call again with confirmTriggers. */
  | { status: "needs_confirmation"; tagName: string; sequences: LiveTagSequence[] }
  | {
      status: "applied";
      /** The stored spelling (tags match case-insensitively). */
      tagName: string;
      added: number;
      /** Selected contacts that already had the tag (in any case). */
      alreadyTagged: number;
      enrollments: SequenceEnrollments[];
    };

/** Active sequences that a tag_added trigger on this tag (any case) enrolls into, by name. */
export async function liveTriggerSequencesForTag(db: Db, tagName: string): Promise<LiveTagSequence[]> {
  const [name] = parseOrThrow(ZTagNames, [tagName]);
  return db.$queryRaw<LiveTagSequence[]>`
    SELECT DISTINCT s."id", s."name" FROM "SequenceTrigger" tr
    JOIN "Tag" t ON t."id" = tr."tagId"
    JOIN "Sequence" s ON s."id" = tr."sequenceId" AND s."status" = 'active'
    WHERE tr."type" = 'tag_added' AND lower(t."name") = lower(${name.trim()})
    ORDER BY s."name"`;
}

/**
 * Adds one tag to the selected contacts from the admin UI. A tag with live
 * tag_added triggers enrolls (and emails) contacts, so unless the caller
 * confirmed that, nothing is changed and the sequences are returned to ask
 * about. The answer says how many had the tag already and who was enrolled where.
 */
export async function tagContacts(
  db: Db,
  input: { contactIds: string[]; tagName: string; confirmTriggers?: boolean },
): Promise<TagContactsResult> {
  const contactIds = [...new Set(assertIds(input.contactIds, "contactIds"))];
  if (!input.confirmTriggers) {
    const sequences = await liveTriggerSequencesForTag(db, input.tagName);
    if (sequences.length > 0 && (await countLackingTag(db, contactIds, input.tagName)) > 0) {
      return { status: "needs_confirmation", tagName: input.tagName.trim(), sequences };
    }
  }
  const { tags, added, triggersBySequence } = await addTags(db, { contactIds, tagNames: [input.tagName], source: "admin", fireTriggers: true });
  const tag = tags[0];
  const tagged = tag ? await db.contactTag.count({ where: { tagId: tag.id, contactId: { in: contactIds }, contact: { deletedAt: null } } }) : 0;
  const names = new Map(
    (await db.sequence.findMany({ where: { id: { in: triggersBySequence.map((s) => s.sequenceId) } }, select: { id: true, name: true } })).map((s) => [s.id, s.name]),
  );
  return {
    status: "applied",
    tagName: tag?.name ?? input.tagName.trim(),
    added,
    alreadyTagged: Math.max(0, tagged - added),
    enrollments: triggersBySequence
      .map((s) => ({ ...s, sequenceName: names.get(s.sequenceId) ?? "(deleted sequence)" }))
      .sort((a, b) => a.sequenceName.localeCompare(b.sequenceName)),
  };
}

/** Live contacts among these that do not have the tag (in any case): the ones adding it would enroll. */
async function countLackingTag(db: Db, contactIds: string[], tagName: string): Promise<number> {
  const [{ n }] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "Contact" c
    WHERE c."id" = ANY(${contactIds}::text[]) AND c."deletedAt" IS NULL
      AND NOT EXISTS (
        SELECT 1 FROM "ContactTag" ct JOIN "Tag" t ON t."id" = ct."tagId"
        WHERE ct."contactId" = c."id" AND lower(t."name") = lower(${tagName.trim()}))`;
  return n;
}
