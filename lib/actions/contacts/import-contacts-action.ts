"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { recordImport } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { importContacts } from "@/lib/contacts/import";
import { ZImportChunkInput } from "@/lib/validations/contact-import";

/** Imports one chunk (at most 500 rows) of a CSV file; the browser sends the chunks in turn. */
export const importContactsAction = authedAction({ role: "marketer", schema: ZImportChunkInput }, async (input, { db, user }) => {
  const result = await importContacts(db, input);
  await recordImport(db, await userActor(user), result);
  revalidatePath("/contacts");
  return result;
});
