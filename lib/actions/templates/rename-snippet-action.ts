"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { audited } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { renameTemplateOrSnippet } from "@/lib/templates/store";
import { ZRename } from "@/lib/validations/templates";

/** Renames a snippet. */
export const renameSnippetAction = authedAction({ role: "marketer", schema: ZRename }, async (input, { db, user }) => {
  await renameTemplateOrSnippet(audited(db, await userActor(user), "snippet.rename", { type: "snippet", id: input.id }), "snippet", input);
  revalidatePath("/templates");
  return { renamed: true };
});
