"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { audited } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { createSnippet } from "@/lib/templates/store";
import { ZCreateSnippet } from "@/lib/validations/templates";

/** Saves a named snippet (a signature, a footer) for the editor's "Insert snippet". */
export const createSnippetAction = authedAction({ role: "marketer", schema: ZCreateSnippet }, async (input, { db, user }) => {
  const { id } = await createSnippet(audited(db, await userActor(user), "snippet.create", (r) => ({ type: "snippet", id: (r as { id: string }).id })), input, user.email);
  revalidatePath("/templates");
  return { id };
});
