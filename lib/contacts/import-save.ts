/**
 * The set-based write of a batch of valid import rows: a handful of
 * statements in one transaction whatever the batch size (lock the stored
 * contacts of these emails, insert the new ones with their consent events,
 * update the rest), with upsertContact's rules: a deleted contact is not
 * brought back, blank cells were already left out, `onlyFillEmpty` keeps
 * what a stored contact has, and nothing here touches a contact's
 * subscription status, so an opted-out contact stays opted out.
 */
import { now as currentTime } from "../clock";
import type { Db, Tx } from "../db/prisma";
import { AppError, isAppError } from "../errors";
import type { ChangeSource } from "../triggers/fire";
import type { TContactInput, TContactParsed } from "../validations/contact";
import { BULK_TRANSACTION_TIMEOUT_MS } from "../sequences/enroll-many";
import { describeAppError } from "./import-reasons";
import { detailsUpdate, mergeAttributes, type DetailsUpdate } from "./upsert";

/** A row that passed validation: what the file had (for error messages) and the parsed contact. */
export type ImportCandidate = { line: number; raw: TContactInput; contact: TContactParsed };
/** A saved row, with what its tags and score still have to do (addTags / score triggers). */
export type SavedRow = { line: number; contactId: string; created: boolean; tags: string[]; score: { previous: number; next: number } | null };
export type SaveOutcome = { saved: SavedRow[]; failed: { line: number; reason: string }[] };

type Stored = { id: string; email: string; deleted: boolean; attributes: unknown; firstName: string | null; lastName: string | null; leadScore: number };

/** Contact.leadScore's column default: what a new contact's score rose from in the row-by-row importer. */
const NEW_CONTACT_SCORE = 0;
const DELETED_MESSAGE = "A contact with this email was deleted; it cannot be created again.";

export async function saveImportBatch(
  db: Db,
  rows: ImportCandidate[],
  options: { source: ChangeSource; onlyFillEmpty: boolean },
): Promise<SaveOutcome> {
  if (rows.length === 0) return { saved: [], failed: [] };
  return db.$transaction((tx) => saveInTransaction(tx, rows, options), { timeout: BULK_TRANSACTION_TIMEOUT_MS });
}

async function saveInTransaction(tx: Tx, rows: ImportCandidate[], options: { source: ChangeSource; onlyFillEmpty: boolean }): Promise<SaveOutcome> {
  const now = currentTime();
  const byEmail = new Map(rows.map((row) => [row.contact.email, row]));
  const stored = await lockStored(tx, [...byEmail.keys()]);
  const created = await insertNew(tx, rows.filter((row) => !stored.has(row.contact.email)), options.source, now);
  // An email neither stored nor inserted was created by a concurrent call after our read: update that contact.
  const raced = rows.filter((row) => !stored.has(row.contact.email) && !created.has(row.contact.email)).map((row) => row.contact.email);
  if (raced.length > 0) for (const [email, contact] of await lockStored(tx, raced)) stored.set(email, contact);

  const saved: SavedRow[] = [];
  const failed: SaveOutcome["failed"] = [];
  const updates: (DetailsUpdate & { id: string; leadScore?: number })[] = [];
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
      if (data || setScore) updates.push({ id: contact.id, ...data, ...(setScore ? { leadScore } : {}) });
      const score = setScore ? { previous: contact.leadScore, next: leadScore } : null;
      saved.push({ line: row.line, contactId: contact.id, created: false, tags, score });
    } catch (error) {
      if (!isAppError(error)) throw error;
      failed.push({ line: row.line, reason: describeAppError(error.message, error.fieldErrors, row.raw) });
    }
  }
  await updateStored(tx, updates, now);
  return { saved, failed };
}

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
async function insertNew(tx: Tx, rows: ImportCandidate[], source: ChangeSource, now: Date): Promise<Map<string, string>> {
  if (rows.length === 0) return new Map();
  const records = rows.map(({ contact }) => ({
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
      INSERT INTO "Contact" ("id", "email", "firstName", "lastName", "leadScore", "timezone", "attributes", "createdAt", "updatedAt")
      SELECT gen_random_uuid()::text, r."email", r."firstName", r."lastName", r."leadScore", r."timezone", r."attributes", ${at}::timestamp(3), ${at}::timestamp(3)
      FROM json_to_recordset(${JSON.stringify(records)}::json)
           AS r("email" text, "firstName" text, "lastName" text, "leadScore" int, "timezone" text, "attributes" jsonb)
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
async function updateStored(tx: Tx, updates: (DetailsUpdate & { id: string; leadScore?: number })[], now: Date): Promise<void> {
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
  }));
  const count = await tx.$executeRaw`
    UPDATE "Contact" c SET
      "firstName" = CASE WHEN u."setFirstName" THEN u."firstName" ELSE c."firstName" END,
      "lastName" = CASE WHEN u."setLastName" THEN u."lastName" ELSE c."lastName" END,
      "timezone" = coalesce(u."timezone", c."timezone"),
      "attributes" = coalesce(u."attributes", c."attributes"),
      "leadScore" = coalesce(u."leadScore", c."leadScore"),
      "updatedAt" = ${now.toISOString()}::timestamp(3)
    FROM json_to_recordset(${JSON.stringify(records)}::json)
         AS u("id" text, "setFirstName" boolean, "firstName" text, "setLastName" boolean, "lastName" text, "timezone" text, "attributes" jsonb, "leadScore" int)
    WHERE c."id" = u."id"`;
  if (count !== updates.length) throw new AppError("conflict", "The contact changed while saving; please retry.");
}
