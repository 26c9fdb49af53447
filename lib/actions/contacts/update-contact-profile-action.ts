"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { updateContactProfile } from "@/lib/contacts/profile";
import { ZContactProfileForm } from "@/lib/validations/contact-profile";

/** Saves the profile form: name, time zone and the attribute rows. */
export const updateContactProfileAction = authedAction({ role: "marketer", schema: ZContactProfileForm }, async (input, { db }) => {
  const attributes = Object.fromEntries(input.attributes.map((row) => [row.key, row.value]));
  await updateContactProfile(db, { ...input, attributes });
  revalidatePath(`/contacts/${input.contactId}`);
  revalidatePath("/contacts");
  return { saved: true };
});
