"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { resubscribeContact } from "@/lib/contacts/unsubscribe";
import { ZContactIdInput } from "@/lib/validations/contact-profile";

/** Resubscribes a contact (recorded as consent source "admin"). Sequences they left are not restarted. */
export const resubscribeContactAction = authedAction({ role: "marketer", schema: ZContactIdInput }, async ({ contactId }, { db, user }) => {
  await resubscribeContact(db, { contactId, source: "admin", actor: user });
  revalidatePath("/contacts", "layout");
  return { status: "subscribed" as const };
});
