"use server";

import { authedAction } from "@/lib/actions/safe-action";
import { listTemplates } from "@/lib/templates/store";
import { ZListTemplates } from "@/lib/validations/templates";

/** The step templates, for "Start from template" in the step editor. */
export const listTemplatesAction = authedAction({ role: "marketer", schema: ZListTemplates }, async (input, { db }) => {
  return (await listTemplates(db, input)).map(({ id, name, subject, body }) => ({ id, name, subject, body }));
});
