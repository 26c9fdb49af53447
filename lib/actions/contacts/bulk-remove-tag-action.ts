"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { recordBulk } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { removeTags } from "@/lib/contacts/tags";
import { ZBulkTagInput } from "@/lib/validations/contact-list";

/** Removes one tag from the selected contacts (one or many). */
export const bulkRemoveTagAction = authedAction({ role: "marketer", schema: ZBulkTagInput }, async ({ contactIds, tagName }, { db, user }) => {
  const { removed } = await removeTags(db, { contactIds, tagNames: [tagName] });
  const detail = `Tag "${tagName}" removed from ${removed} of ${contactIds.length} contacts`;
  await recordBulk(db, await userActor(user), "contact.untag", { changed: removed, detail, after: { tag: tagName, contactIds, removed } });
  revalidatePath("/contacts", "layout");
  return { count: contactIds.length };
});
