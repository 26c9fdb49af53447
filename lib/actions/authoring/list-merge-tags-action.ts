"use server";

import { authedAction } from "@/lib/actions/safe-action";
import { listAttributeKeys } from "@/lib/email/attribute-keys";
import { ZNoInput } from "@/lib/validations/authoring";

/** The attribute keys contacts have (canonical spelling) and how many have each, for the merge-tag picker. */
export const listMergeTagsAction = authedAction({ role: "marketer", schema: ZNoInput }, async (_input, { db }) => {
  return listAttributeKeys(db);
});
