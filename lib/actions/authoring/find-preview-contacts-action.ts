"use server";

import { authedAction } from "@/lib/actions/safe-action";
import { findPreviewContacts } from "@/lib/email/step-preview";
import { ZFindPreviewContacts } from "@/lib/validations/authoring";

/** Contacts to preview a step as, by email or name. */
export const findPreviewContactsAction = authedAction({ role: "marketer", schema: ZFindPreviewContacts }, async (input, { db }) => {
  return findPreviewContacts(db, input);
});
