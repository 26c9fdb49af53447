"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { audited } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { deleteTemplateOrSnippet } from "@/lib/templates/store";
import { ZTemplateRef } from "@/lib/validations/templates";

/** Deletes a snippet (bodies it was inserted into keep their copy). */
export const deleteSnippetAction = authedAction({ role: "marketer", schema: ZTemplateRef }, async (input, { db, user }) => {
  await deleteTemplateOrSnippet(audited(db, await userActor(user), "snippet.delete", { type: "snippet", id: input.id }), "snippet", input);
  revalidatePath("/templates");
  return { deleted: true };
});
