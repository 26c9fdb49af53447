"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction } from "@/lib/actions/safe-action";
import { audited } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { exitContact } from "@/lib/sequences/exit-contact";
import { ZId } from "@/lib/validations/enrollment";

const ZInput = z.object({ contactId: ZId, sequenceId: ZId });

/** "Remove from sequence": ends the contact's live enrollment with reason removed. */
export const removeFromSequenceAction = authedAction({ role: "marketer", schema: ZInput }, async ({ contactId, sequenceId }, { db, user }) => {
  const { exited } = await exitContact(audited(db, await userActor(user), "contact.remove", { type: "contact", id: contactId, sequenceId }), { contactId, sequenceId, reason: "removed", detail: `Removed by ${user.email}` });
  revalidatePath(`/sequences/${sequenceId}`);
  revalidatePath(`/contacts/${contactId}`);
  return { removed: exited.length };
});
