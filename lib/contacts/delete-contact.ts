import { now } from "../clock";
import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import { endLiveEnrollments, publishExitEvents } from "../sequences/exit-contact";
import { ZDeleteContactInput, type TDeleteContactInput } from "../validations/contact-profile";
import { parseOrThrow } from "../validations/parse";

/**
 * Soft-deletes a contact and ends every live enrollment with reason
 * contact_deleted, in one transaction; after the commit, contact.removed
 * stops their runs. Idempotent: deleting again changes nothing.
 */
export async function deleteContact(db: Db, input: TDeleteContactInput): Promise<{ deleted: boolean; exited: number }> {
  const { contactId, deletedBy } = parseOrThrow(ZDeleteContactInput, input);
  const result = await db.$transaction(async (tx) => {
    // FOR UPDATE: a concurrent enrollContact (FOR SHARE) either commits first,
    // and its enrollment is ended here, or waits and then sees deletedAt.
    const [contact] = await tx.$queryRaw<{ deletedAt: Date | null }[]>`
      SELECT "deletedAt" FROM "Contact" WHERE "id" = ${contactId} FOR UPDATE`;
    if (!contact) throw new AppError("not_found", "Contact not found");
    const deleted = !contact.deletedAt;
    if (deleted) {
      const at = now();
      await tx.contact.update({ where: { id: contactId }, data: { deletedAt: at, updatedAt: at } });
    }
    const exited = await endLiveEnrollments(tx, { contactId, reason: "contact_deleted", detail: `Deleted by ${deletedBy}` });
    return { deleted, exited };
  });
  await publishExitEvents({ contactId, reason: "contact_deleted" }, result.exited);
  return { deleted: result.deleted, exited: result.exited.length };
}
