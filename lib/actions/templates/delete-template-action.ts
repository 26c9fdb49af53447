"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { audited } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { deleteTemplateOrSnippet } from "@/lib/templates/store";
import { ZTemplateRef } from "@/lib/validations/templates";

/** Deletes a step template (steps started from it keep their copy). */
export const deleteTemplateAction = authedAction({ role: "marketer", schema: ZTemplateRef }, async (input, { db, user }) => {
  await deleteTemplateOrSnippet(audited(db, await userActor(user), "template.delete", { type: "template", id: input.id }), "template", input);
  revalidatePath("/templates");
  return { deleted: true };
});
