import { now } from "../clock";
import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import { ZContactProfileInput, type TContactProfileInput } from "../validations/contact-profile";
import { parseOrThrow } from "../validations/parse";

/**
 * Replaces a contact's name, time zone and custom attributes (the whole
 * attribute set: a key left out is removed). Email, tags, score and consent
 * have their own functions because they fire triggers or record consent.
 */
export async function updateContactProfile(db: Db, input: TContactProfileInput): Promise<void> {
  const { contactId, firstName, lastName, timezone, attributes } = parseOrThrow(ZContactProfileInput, input);
  const { count } = await db.contact.updateMany({
    where: { id: contactId, deletedAt: null },
    data: { firstName, lastName, timezone, attributes, updatedAt: now() },
  });
  if (count === 0) throw new AppError("not_found", "Contact not found");
}
