import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import { isId } from "../validations/ids";

/** The id of a live (not deleted) contact, or a 404. */
export async function requireLiveContact(db: Db, id: string): Promise<string> {
  // Not an id (a %00 in the URL arrives as a NUL, which would fail the query): no such contact.
  if (!isId(id)) throw new AppError("not_found", "Contact not found.");
  const contact = await db.contact.findFirst({ where: { id, deletedAt: null }, select: { id: true } });
  if (!contact) throw new AppError("not_found", "Contact not found.");
  return contact.id;
}
