import type { Db } from "../db/prisma";
import { AppError } from "../errors";

/** The id of a live (not deleted) contact, or a 404. */
export async function requireLiveContact(db: Db, id: string): Promise<string> {
  const contact = await db.contact.findFirst({ where: { id, deletedAt: null }, select: { id: true } });
  if (!contact) throw new AppError("not_found", "Contact not found.");
  return contact.id;
}
