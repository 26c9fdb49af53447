"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { removeTags } from "@/lib/contacts/tags";
import { ZBulkTagInput } from "@/lib/validations/contact-list";

/** Removes one tag from the selected contacts (one or many). */
export const bulkRemoveTagAction = authedAction({ role: "marketer", schema: ZBulkTagInput }, async ({ contactIds, tagName }, { db }) => {
  await removeTags(db, { contactIds, tagNames: [tagName] });
  revalidatePath("/contacts", "layout");
  return { count: contactIds.length };
});
