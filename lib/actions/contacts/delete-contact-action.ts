"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { deleteContact } from "@/lib/contacts/delete-contact";
import { ZContactIdInput } from "@/lib/validations/contact-profile";

/** Deletes a contact (soft) and ends their live enrollments. */
export const deleteContactAction = authedAction({ role: "marketer", schema: ZContactIdInput }, async ({ contactId }, { db, user }) => {
  const { exited } = await deleteContact(db, { contactId, deletedBy: user.email });
  revalidatePath("/contacts", "layout");
  return { exited };
});
