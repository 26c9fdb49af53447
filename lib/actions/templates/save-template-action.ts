"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { audited } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { saveTemplate } from "@/lib/templates/store";
import { ZSaveTemplate } from "@/lib/validations/templates";

/** Saves a step's subject and body as a named template ("Save as template"). */
export const saveTemplateAction = authedAction({ role: "marketer", schema: ZSaveTemplate }, async (input, { db, user }) => {
  const { id } = await saveTemplate(audited(db, await userActor(user), "template.save", (r) => ({ type: "template", id: (r as { id: string }).id })), input, user.email);
  revalidatePath("/templates");
  return { id };
});
