"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { addTags } from "@/lib/contacts/tags";
import { ZBulkTagInput } from "@/lib/validations/contact-list";

/** Adds one tag to the selected contacts (one or many); tag_added triggers fire for new links. */
export const bulkAddTagAction = authedAction({ role: "marketer", schema: ZBulkTagInput }, async ({ contactIds, tagName }, { db }) => {
  await addTags(db, { contactIds, tagNames: [tagName], source: "admin", fireTriggers: true });
  revalidatePath("/contacts", "layout");
  return { count: contactIds.length };
});
