"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { inAuditedTransaction } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { updateContactProfile } from "@/lib/contacts/profile";
import { ZContactProfileForm } from "@/lib/validations/contact-profile";

/** Saves the profile form: name, time zone and the attribute rows. */
export const updateContactProfileAction = authedAction({ role: "marketer", schema: ZContactProfileForm }, async (input, { db, user }) => {
  const attributes = Object.fromEntries(input.attributes.map((row) => [row.key, row.value]));
  const contact = { type: "contact" as const, id: input.contactId };
  await inAuditedTransaction(db, await userActor(user), "contact.edit", contact, (tx) => updateContactProfile(tx, { ...input, attributes }));
  revalidatePath(`/contacts/${input.contactId}`);
  revalidatePath("/contacts");
  return { saved: true };
});
