/**
 * An import batch's tags, written in the transaction that saves its
 * contacts (import-save.ts): the contacts are inserted and updated with
 * their tag ids already in Contact.tagIds, then the links are inserted, so
 * the ContactTag triggers find nothing to change and write no second
 * version of each contact's row (every index of Contact, the trigram GIN
 * one included, paid twice: docs/benchmarks.md, "CSV import (12): tag ids
 * with the rows"). The tag_added triggers' enrollments commit with the
 * links, as in addTags.
 */
import type { Db, Tx } from "../db/prisma";
import type { OutgoingEvent } from "../events/publish";
import { activeTagTriggers, enrollForNewLinks, type TagTrigger } from "../triggers/fire";
import { ensureTags, insertTagLinks } from "./tags";

/** The batch's tags by lower-cased name (missing ones created: the first spelling wins) and their active tag_added triggers. */
export type ImportTags = { idByName: Map<string, string>; triggers: TagTrigger[] };

/**
 * A failure writing a batch's tags or their triggers: the import stops with
 * it (`cause`), rather than saving the batch again row by row as it does
 * when the contacts themselves cannot be written.
 */
export class ImportTagsError extends Error {
  constructor(cause: unknown) {
    super("The import's tags could not be written", { cause });
  }
}

export async function resolveImportTags(db: Db, tagNames: string[], fireTriggers: boolean): Promise<ImportTags> {
  try {
    if (tagNames.length === 0) return { idByName: new Map(), triggers: [] };
    const tags = await ensureTags(db, tagNames);
    const idByName = new Map(tags.map((t) => [t.name.toLowerCase(), t.id]));
    const triggers = fireTriggers ? await activeTagTriggers(db, [...idByName.values()]) : [];
    return { idByName, triggers };
  } catch (error) {
    throw new ImportTagsError(error);
  }
}

/** A row's tag ids, each once; a name the batch's tags do not hold is left out (it gets no link either). */
export function tagIdsOf(tags: ImportTags, names: string[]): string[] {
  const ids = new Set<string>();
  for (const name of names) {
    const id = tags.idByName.get(name.trim().toLowerCase());
    if (id) ids.add(id);
  }
  return [...ids];
}

/**
 * The links of saved rows (their tag ids as tagIdsOf gives them), and the
 * enrollments of the tag_added triggers they fire, in the caller's
 * transaction. `started` is published by the caller after its commit.
 */
export async function linkImportTags(tx: Tx, tags: ImportTags, rows: { contactId: string; tags: string[] }[]): Promise<OutgoingEvent[]> {
  try {
    const pairs = rows.flatMap((row) => tagIdsOf(tags, row.tags).map((tagId) => ({ contactId: row.contactId, tagId })));
    if (pairs.length === 0) return [];
    const inserted = await insertTagLinks(tx, pairs);
    if (tags.triggers.length === 0) return [];
    return (await enrollForNewLinks(tx, inserted, tags.triggers)).started;
  } catch (error) {
    throw new ImportTagsError(error);
  }
}
