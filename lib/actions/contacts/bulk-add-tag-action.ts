"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { recordBulk } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { tagContacts } from "@/lib/contacts/tag-contacts";
import { ZBulkAddTagInput } from "@/lib/validations/contact-list";

/**
 * Adds one tag to the selected contacts (one or many). When the tag has live
 * entry triggers it first answers "needs_confirmation" and changes nothing;
 * called again with confirmTriggers, the triggers fire for new links.
 */
export const bulkAddTagAction = authedAction({ role: "marketer", schema: ZBulkAddTagInput }, async ({ contactIds, tagName, confirmTriggers }, { db, user }) => {
  const result = await tagContacts(db, { contactIds, tagName, confirmTriggers });
  if (result.status === "applied") {
    const detail = `Tag "${result.tagName}" added to ${result.added} of ${contactIds.length} contacts`;
    await recordBulk(db, await userActor(user), "contact.tag", { changed: result.added, detail, after: { tag: result.tagName, contactIds, added: result.added } });
    revalidatePath("/contacts", "layout");
  }
  return result;
});
