"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { enrollContacts } from "@/lib/contacts/bulk-enroll";
import { ZBulkEnrollInput } from "@/lib/validations/contact-list";

/** Enrolls the selected contacts (at most 1,000) in a sequence; returns the counts per outcome. */
export const bulkEnrollAction = authedAction({ role: "marketer", schema: ZBulkEnrollInput }, async ({ contactIds, sequenceId }, { db }) => {
  const result = await enrollContacts(db, { contactIds, sequenceId, source: "manual" });
  revalidatePath("/contacts", "layout");
  revalidatePath(`/sequences/${sequenceId}`);
  return result;
});
