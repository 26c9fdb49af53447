"use server";

import { authedAction } from "@/lib/actions/safe-action";
import { listSnippets } from "@/lib/templates/store";
import { ZListTemplates } from "@/lib/validations/templates";

/** The snippets, for "Insert snippet" in the editor's toolbar. */
export const listSnippetsAction = authedAction({ role: "marketer", schema: ZListTemplates }, async (input, { db }) => {
  return (await listSnippets(db, input)).map(({ id, name, body }) => ({ id, name, body }));
});
