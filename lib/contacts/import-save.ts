/**
 * The set-based write of a batch of valid import rows: a handful of
 * statements in one transaction whatever the batch size (lock the stored
 * contacts of these emails, insert the new ones with their consent events
 * and tag ids, update the rest, then the tag links and the enrollments of
 * the tag_added triggers they fire: import-tags.ts), with upsertContact's rules: a deleted contact is not
 * brought back, blank cells were already left out, `onlyFillEmpty` keeps
 * what a stored contact has, and nothing here touches a contact's
 * subscription status, so an opted-out contact stays opted out.
 */
import { now as currentTime } from "../clock";
import { Prisma, type Db, type Tx } from "../db/prisma";
import { AppError, isAppError } from "../errors";
import type { OutgoingEvent } from "../events/publish";
import type { ChangeSource } from "../triggers/fire";
import type { TContactInput, TContactParsed } from "../validations/contact";
import { BULK_TRANSACTION_TIMEOUT_MS } from "../sequences/enroll-many";
import { describeAppError } from "./import-reasons";
import { linkImportTags, resolveImportTags, tagIdsOf, type ImportTags } from "./import-tags";
import { detailsUpdate, mergeAttributes, type DetailsUpdate } from "./upsert";

/** A row that passed validation: what the file had (for error messages) and the parsed contact. */
export type ImportCandidate = { line: number; raw: TContactInput; contact: TContactParsed };
/** A saved row (its tags linked), with what its score still has to do (score triggers). */
export type SavedRow = { line: number; contactId: string; created: boolean; tags: string[]; score: { previous: number; next: number } | null };
/** `started`: the runs the tag triggers started, to hand to the event sender after the commit. */
export type SaveOutcome = { saved: SavedRow[]; failed: { line: number; reason: string }[]; started: OutgoingEvent[] };

type Stored = { id: string; email: string; deleted: boolean; attributes: unknown; firstName: string | null; lastName: string | null; leadScore: number };

/** Contact.leadScore's column default: what a new contact's score rose from in the row-by-row importer. */
const NEW_CONTACT_SCORE = 0;
const DELETED_MESSAGE = "A contact with this email was deleted; it cannot be created again.";

type SaveOptions = { source: ChangeSource; onlyFillEmpty: boolean; fireTriggers: boolean };

/** Throws ImportTagsError when the batch's tags or their triggers cannot be written (the transaction rolls back whole). */
export async function saveImportBatch(db: Db, rows: ImportCandidate[], options: SaveOptions): Promise<SaveOutcome> {
  if (rows.length === 0) return { saved: [], failed: [], started: [] };
  const tags = await resolveImportTags(db, rows.flatMap((row) => row.contact.tags ?? []), options.fireTriggers);
  return db.$transaction((tx) => saveInTransaction(tx, rows, options, tags), { timeout: BULK_TRANSACTION_TIMEOUT_MS });
}

async function saveInTransaction(tx: Tx, rows: ImportCandidate[], options: SaveOptions, importTags: ImportTags): Promise<SaveOutcome> {
  const now = currentTime();
  const byEmail = new Map(rows.map((row) => [row.contact.email, row]));
  const stored = await lockStored(tx, [...byEmail.keys()]);
  const created = await insertNew(tx, rows.filter((row) => !stored.has(row.contact.email)), importTags, options.source, now);
  // An email neither stored nor inserted was created by a concurrent call after our read: update that contact.
  const raced = rows.filter((row) => !stored.has(row.contact.email) && !created.has(row.contact.email)).map((row) => row.contact.email);
  if (raced.length > 0) for (const [email, contact] of await lockStored(tx, raced)) stored.set(email, contact);

  const saved: SavedRow[] = [];
  const failed: SaveOutcome["failed"] = [];
  const updates: StoredUpdate[] = [];
  for (const row of rows) {
    const { email, tags = [], leadScore } = row.contact;
    const contactId = created.get(email);
    if (contactId) {
      const score = leadScore === undefined ? null : { previous: NEW_CONTACT_SCORE, next: leadScore };
      saved.push({ line: row.line, contactId, created: true, tags, score });
      continue;
    }
    const contact = stored.get(email);
    if (!contact) {
      failed.push({ line: row.line, reason: "The contact changed while saving; please retry." });
      continue;
    }
    if (contact.deleted) {
      failed.push({ line: row.line, reason: describeAppError(DELETED_MESSAGE, { email: ["This contact was deleted."] }, row.raw) });
      continue;
    }
    try {
      const data = detailsUpdate(contact, details(row.contact), options.onlyFillEmpty);
      const setScore = leadScore !== undefined && !options.onlyFillEmpty;
      // Its tag ids join the update it gets anyway; a contact updated for its tags alone gets them from the links' trigger (one write either way).
      if (data || setScore) updates.push({ id: contact.id, ...data, ...(setScore ? { leadScore } : {}), tagIds: tagIdsOf(importTags, tags) });
      const score = setScore ? { previous: contact.leadScore, next: leadScore } : null;
      saved.push({ line: row.line, contactId: contact.id, created: false, tags, score });
    } catch (error) {
      if (!isAppError(error)) throw error;
      failed.push({ line: row.line, reason: describeAppError(error.message, error.fieldErrors, row.raw) });
    }
  }
  await updateStored(tx, updates, now);
  const started = await linkImportTags(tx, importTags, saved);
  return { saved, failed, started };
}

type StoredUpdate = DetailsUpdate & { id: string; leadScore?: number; tagIds: string[] };

/**
 * A contact's tag ids with `added` among them, as the ContactTag triggers
 * compute them (contact_tag_ids_add: the same expression, so the same
 * order), so that when the links are inserted the trigger finds the array
 * already right and leaves the row alone.
 */
const withTagIds = (current: Prisma.Sql, added: Prisma.Sql) => Prisma.sql`ARRAY(SELECT DISTINCT x FROM unnest(${current} || ${added}) AS x ORDER BY x)`;

function details({ firstName, lastName, timezone, attributes }: TContactParsed) {
  return { firstName, lastName, timezone, attributes };
}

/** The stored contacts of these emails (deleted ones too), locked in id order so overlapping imports wait rather than deadlock. */
async function lockStored(tx: Tx, emails: string[]): Promise<Map<string, Stored>> {
  // The emails as one JSON parameter: a text[] parameter is planned element
  // by element (over 100 ms for 5,000 emails); the join plans once.
  const rows = await tx.$queryRaw<Stored[]>`
    SELECT c."id", lower(c."email") AS "email", c."deletedAt" IS NOT NULL AS "deleted", c."attributes", c."firstName", c."lastName", c."leadScore"
    FROM json_array_elements_text(${JSON.stringify(emails)}::json) AS e("email")
    JOIN "Contact" c ON lower(c."email") = e."email"
    ORDER BY c."id" FOR UPDATE OF c`;
  return new Map(rows.map((row) => [row.email, row]));
}

/**
 * One statement: the new contacts and their consent events ("subscribed",
 * from this source: consent must be demonstrable). ON CONFLICT DO NOTHING:
 * a concurrent create of the same email wins and we update it instead.
 * The rows travel as one JSON parameter (Prisma serializes array
 * parameters element by element). Returns email -> new id.
 */
async function insertNew(tx: Tx, rows: ImportCandidate[], tags: ImportTags, source: ChangeSource, now: Date): Promise<Map<string, string>> {
  if (rows.length === 0) return new Map();
  const records = rows.map(({ contact }) => ({
    tagIds: tagIdsOf(tags, contact.tags ?? []),
    email: contact.email,
    firstName: contact.firstName ?? null,
    lastName: contact.lastName ?? null,
    leadScore: contact.leadScore ?? NEW_CONTACT_SCORE,
    timezone: contact.timezone ?? "UTC",
    attributes: mergeAttributes({}, contact.attributes),
  }));
  const at = now.toISOString();
  const [{ inserted }] = await tx.$queryRaw<{ inserted: string }[]>`
    WITH inserted AS (
      INSERT INTO "Contact" ("id", "email", "firstName", "lastName", "leadScore", "timezone", "attributes", "tagIds", "createdAt", "updatedAt")
      SELECT gen_random_uuid()::text, r."email", r."firstName", r."lastName", r."leadScore", r."timezone", r."attributes",
             ${withTagIds(Prisma.sql`ARRAY[]::text[]`, Prisma.sql`r."tagIds"`)}, ${at}::timestamp(3), ${at}::timestamp(3)
      FROM json_to_recordset(${JSON.stringify(records)}::json)
           AS r("email" text, "firstName" text, "lastName" text, "leadScore" int, "timezone" text, "attributes" jsonb, "tagIds" text[])
      ORDER BY r."email"
      ON CONFLICT DO NOTHING
      RETURNING "id", "email"
    ), consent AS (
      INSERT INTO "ConsentEvent" ("contactId", "type", "source", "createdAt")
      SELECT i."id", 'subscribed'::"ConsentEventType", ${source}, ${at}::timestamp(3) FROM inserted i
    )
    SELECT coalesce(json_agg(json_build_array(i."email", i."id")), '[]')::text AS "inserted" FROM inserted i`;
  return new Map(JSON.parse(inserted) as [string, string][]);
}

/** One UPDATE for every stored contact whose details or score change; a column a row leaves out keeps its value. */
async function updateStored(tx: Tx, updates: StoredUpdate[], now: Date): Promise<void> {
  if (updates.length === 0) return;
  const records = updates.map((u) => ({
    id: u.id,
    setFirstName: u.firstName !== undefined,
    firstName: u.firstName ?? null,
    setLastName: u.lastName !== undefined,
    lastName: u.lastName ?? null,
    timezone: u.timezone ?? null,
    attributes: u.attributes ?? null,
    leadScore: u.leadScore ?? null,
    tagIds: u.tagIds,
  }));
  const count = await tx.$executeRaw`
    UPDATE "Contact" c SET
      "firstName" = CASE WHEN u."setFirstName" THEN u."firstName" ELSE c."firstName" END,
      "lastName" = CASE WHEN u."setLastName" THEN u."lastName" ELSE c."lastName" END,
      "timezone" = coalesce(u."timezone", c."timezone"),
      "attributes" = coalesce(u."attributes", c."attributes"),
      "leadScore" = coalesce(u."leadScore", c."leadScore"),
      "tagIds" = ${withTagIds(Prisma.sql`c."tagIds"`, Prisma.sql`u."tagIds"`)},
      "updatedAt" = ${now.toISOString()}::timestamp(3)
    FROM json_to_recordset(${JSON.stringify(records)}::json)
         AS u("id" text, "setFirstName" boolean, "firstName" text, "setLastName" boolean, "lastName" text, "timezone" text, "attributes" jsonb, "leadScore" int, "tagIds" text[])
    WHERE c."id" = u."id"`;
  if (count !== updates.length) throw new AppError("conflict", "The contact changed while saving; please retry.");
}
