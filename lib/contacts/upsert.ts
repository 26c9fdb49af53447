import { now as currentTime } from "../clock";
import type { Db, Tx } from "../db/prisma";
import { AppError } from "../errors";
import type { ChangeSource } from "../triggers/fire";
import {
  CONTACT_ATTRIBUTES_MAX_KEYS,
  ZContactInput,
  ZContactPatch,
  type TContactInput,
  type TContactPatch,
} from "../validations/contact";
import { ZId } from "../validations/enrollment";
import { parseOrThrow } from "../validations/parse";
import { setLeadScore } from "./score";
import { addTags } from "./tags";

type Attributes = Record<string, string | number | boolean>;
export type Details = { firstName?: string | null; lastName?: string | null; timezone?: string; attributes?: Record<string, string | number | boolean | null> };
type LockedContact = { id: string; deletedAt: Date | null; attributes: unknown; firstName: string | null; lastName: string | null };
/** What an update of a stored contact's details reads of it. */
export type ExistingContact = Pick<LockedContact, "attributes" | "firstName" | "lastName">;

/**
 * Creates a contact or updates the one with this email (normalized). Tags
 * and score go through addTags and setLeadScore, so triggers fire exactly as
 * for any other change. A deleted contact is not brought back. With
 * `onlyFillEmpty`, an existing contact keeps every value it has: only an
 * empty name and missing attributes are filled, the time zone and lead score
 * (never empty) are kept, and tags are added.
 */
export async function upsertContact(
  db: Db,
  input: TContactInput,
  options: { source: ChangeSource; fireTriggers?: boolean; onlyFillEmpty?: boolean },
): Promise<{ contactId: string; created: boolean }> {
  const { email, tags, leadScore, ...details } = parseOrThrow(ZContactInput, input);
  const fireTriggers = options.fireTriggers ?? true;

  const { contactId, created, existed } = await db.$transaction(async (tx) => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const [existing] = await tx.$queryRaw<LockedContact[]>`
        SELECT "id", "deletedAt", "attributes", "firstName", "lastName" FROM "Contact" WHERE lower("email") = ${email} FOR UPDATE`;
      if (existing) {
        if (existing.deletedAt) {
          throw new AppError("conflict", "A contact with this email was deleted; it cannot be created again.", {
            email: ["This contact was deleted."],
          });
        }
        await applyDetails(tx, existing, details, options.onlyFillEmpty);
        return { contactId: existing.id, created: false, existed: true };
      }
      const id = await insertContact(tx, email, details, options.source);
      if (id) return { contactId: id, created: true, existed: false };
      // A concurrent call created it between our read and insert: update that one.
    }
    throw new AppError("conflict", "The contact changed while saving; please retry.");
  });

  if (tags && tags.length > 0) await addTags(db, { contactIds: [contactId], tagNames: tags, source: options.source, fireTriggers });
  if (leadScore !== undefined && !(options.onlyFillEmpty && existed)) {
    await setLeadScore(db, { contactId, score: leadScore, source: options.source, fireTriggers });
  }
  return { contactId, created };
}

/** Updates a contact's name, time zone and attributes (merged; null removes a key). */
export async function updateContactDetails(db: Db, input: { contactId: string; patch: TContactPatch }): Promise<void> {
  const contactId = parseOrThrow(ZId, input.contactId);
  const patch = parseOrThrow(ZContactPatch, input.patch);
  await db.$transaction(async (tx) => {
    const [contact] = await tx.$queryRaw<LockedContact[]>`
      SELECT "id", "deletedAt", "attributes", "firstName", "lastName" FROM "Contact" WHERE "id" = ${contactId} FOR UPDATE`;
    if (!contact || contact.deletedAt) throw new AppError("not_found", "Contact not found.");
    await applyDetails(tx, contact, patch);
  });
}

async function insertContact(tx: Tx, email: string, details: Details, source: ChangeSource): Promise<string | null> {
  const now = currentTime();
  const attributes = mergeAttributes({}, details.attributes);
  // DO NOTHING: a concurrent create of the same email (any case) wins, and we update it instead.
  const [row] = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "Contact" ("id", "email", "firstName", "lastName", "timezone", "attributes", "createdAt", "updatedAt")
    VALUES (gen_random_uuid()::text, ${email}, ${details.firstName ?? null}, ${details.lastName ?? null},
            ${details.timezone ?? "UTC"}, ${JSON.stringify(attributes)}::jsonb, ${now.toISOString()}::timestamp(3), ${now.toISOString()}::timestamp(3))
    ON CONFLICT DO NOTHING
    RETURNING "id"`;
  if (!row) return null;
  // Consent must be demonstrable: record how the contact came to be subscribed.
  await tx.consentEvent.create({ data: { contactId: row.id, type: "subscribed", source, createdAt: now } });
  return row.id;
}

/** The details that fill a field the contact has empty (a name, an attribute it lacks). */
function emptyFieldsOnly(contact: ExistingContact, details: Details): Details {
  const current = isPlainRecord(contact.attributes) ? contact.attributes : {};
  const attributes = Object.fromEntries(Object.entries(details.attributes ?? {}).filter(([key]) => current[key] === undefined || current[key] === ""));
  return {
    ...(contact.firstName ? {} : { firstName: details.firstName }),
    ...(contact.lastName ? {} : { lastName: details.lastName }),
    ...(Object.keys(attributes).length ? { attributes } : {}),
  };
}

async function applyDetails(tx: Tx, contact: LockedContact, details: Details, onlyFillEmpty = false): Promise<void> {
  const data = detailsUpdate(contact, details, onlyFillEmpty);
  if (!data) return;
  await tx.contact.update({ where: { id: contact.id }, data: { ...data, updatedAt: currentTime() } });
}

export type DetailsUpdate = { firstName?: string | null; lastName?: string | null; timezone?: string; attributes?: Attributes };

/**
 * The columns `details` change on a stored contact (attributes merged; null
 * removes a key), or null when none: shared by the one-contact upsert and
 * the set-based import so both store the same values. Throws AppError
 * (validation) when the merge would pass the attribute limit.
 */
export function detailsUpdate(contact: ExistingContact, details: Details, onlyFillEmpty = false): DetailsUpdate | null {
  const wanted = onlyFillEmpty ? emptyFieldsOnly(contact, details) : details;
  const data: DetailsUpdate = {};
  if (wanted.firstName !== undefined) data.firstName = wanted.firstName || null;
  if (wanted.lastName !== undefined) data.lastName = wanted.lastName || null;
  if (wanted.timezone !== undefined) data.timezone = wanted.timezone;
  if (wanted.attributes !== undefined) data.attributes = mergeAttributes(contact.attributes, wanted.attributes);
  return Object.keys(data).length === 0 ? null : data;
}

/** `current` with `patch` applied (null removes a key); throws AppError (validation) past the attribute limit. */
export function mergeAttributes(current: unknown, patch: Details["attributes"]): Attributes {
  const merged: Attributes = isPlainRecord(current) ? { ...(current as Attributes) } : {};
  for (const [key, value] of Object.entries(patch ?? {})) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  if (Object.keys(merged).length > CONTACT_ATTRIBUTES_MAX_KEYS) {
    throw new AppError("validation", "Please correct the highlighted fields.", {
      attributes: [`A contact has at most ${CONTACT_ATTRIBUTES_MAX_KEYS} attributes`],
    });
  }
  return merged;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
