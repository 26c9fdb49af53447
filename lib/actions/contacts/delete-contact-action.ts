"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { audited } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { deleteContact } from "@/lib/contacts/delete-contact";
import { ZContactIdInput } from "@/lib/validations/contact-profile";

/** Deletes a contact (soft) and ends their live enrollments. */
export const deleteContactAction = authedAction({ role: "marketer", schema: ZContactIdInput }, async ({ contactId }, { db, user }) => {
  const { exited } = await deleteContact(audited(db, await userActor(user), "contact.delete", { type: "contact", id: contactId }), { contactId, deletedBy: user.email });
  revalidatePath("/contacts", "layout");
  return { exited };
});
