"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { unsubscribeContact } from "@/lib/contacts/unsubscribe";
import { ZContactIdInput } from "@/lib/validations/contact-profile";

/** Unsubscribes a contact on their behalf (recorded as consent source "admin"); every sequence ends. */
export const unsubscribeContactAction = authedAction({ role: "marketer", schema: ZContactIdInput }, async ({ contactId }, { db, user }) => {
  await unsubscribeContact(db, { contactId, source: "admin", actor: user });
  revalidatePath("/contacts", "layout");
  return { status: "unsubscribed" as const };
});
