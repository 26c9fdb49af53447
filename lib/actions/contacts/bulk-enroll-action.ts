"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { recordBulk } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { enrollContacts } from "@/lib/contacts/bulk-enroll";
import { ZBulkEnrollInput } from "@/lib/validations/contact-list";

/** Enrolls the selected contacts (at most 1,000) in a sequence; returns the counts per outcome. */
export const bulkEnrollAction = authedAction({ role: "marketer", schema: ZBulkEnrollInput }, async ({ contactIds, sequenceId }, { db, user }) => {
  const result = await enrollContacts(db, { contactIds, sequenceId, source: "manual" });
  const detail = `${result.enrolled} enrolled, ${result.alreadyEnrolled} already enrolled, ${result.refused} refused`;
  await recordBulk(db, await userActor(user), "contact.bulk_enroll", { changed: result.enrolled, detail, after: { sequenceId, contactIds, ...result } });
  revalidatePath("/contacts", "layout");
  revalidatePath(`/sequences/${sequenceId}`);
  return result;
});
