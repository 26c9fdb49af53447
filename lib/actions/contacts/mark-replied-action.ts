"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { audited } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { AppError } from "@/lib/errors";
import { exitContact } from "@/lib/sequences/exit-contact";
import { ZMarkRepliedInput } from "@/lib/validations/contact-profile";

/** "Mark as replied" for one sequence: ends it with reason replied (only sequences that exit on reply end). */
export const markRepliedAction = authedAction({ role: "marketer", schema: ZMarkRepliedInput }, async ({ contactId, sequenceId }, { db, user }) => {
  const { exited } = await exitContact(audited(db, await userActor(user), "contact.mark_replied", { type: "contact", id: contactId, sequenceId }), { contactId, sequenceId, reason: "replied", detail: `Marked as replied by ${user.email}` });
  if (exited.length === 0) throw new AppError("conflict", "Nothing to end: the contact is no longer in this sequence, or it does not exit on reply.");
  revalidatePath(`/contacts/${contactId}`);
  revalidatePath(`/sequences/${sequenceId}`);
  return { exited: exited.length };
});
