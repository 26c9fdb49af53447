"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { audited } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { renameTemplateOrSnippet } from "@/lib/templates/store";
import { ZRename } from "@/lib/validations/templates";

/** Renames a step template. */
export const renameTemplateAction = authedAction({ role: "marketer", schema: ZRename }, async (input, { db, user }) => {
  await renameTemplateOrSnippet(audited(db, await userActor(user), "template.rename", { type: "template", id: input.id }), "template", input);
  revalidatePath("/templates");
  return { renamed: true };
});
