"use server";

import { authedAction } from "@/lib/actions/safe-action";
import { findStoredEmails } from "@/lib/contacts/import-preview";
import { ZImportPreviewInput } from "@/lib/validations/contact-import";

/** Which of a CSV file's emails are contacts already (updated by the import) or deleted ones; changes nothing. */
export const previewImportAction = authedAction({ role: "marketer", schema: ZImportPreviewInput }, async (input, { db }) => findStoredEmails(db, input));
