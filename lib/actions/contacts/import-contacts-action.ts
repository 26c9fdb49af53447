"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { importContacts } from "@/lib/contacts/import";
import { ZImportChunkInput } from "@/lib/validations/contact-import";

/** Imports one chunk (at most 500 rows) of a CSV file; the browser sends the chunks in turn. */
export const importContactsAction = authedAction({ role: "marketer", schema: ZImportChunkInput }, async (input, { db }) => {
  const result = await importContacts(db, input);
  revalidatePath("/contacts");
  return result;
});
