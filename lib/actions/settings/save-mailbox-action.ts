"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { saveMailbox } from "@/lib/mailbox/settings";
import { ZMailboxSettings } from "@/lib/validations/mailbox";

/** Stores the mailbox settings (the secret encrypted); the page then tests the connection. */
export const saveMailboxAction = authedAction({ role: "admin", schema: ZMailboxSettings }, async (input, { db }) => {
  const mailbox = await saveMailbox(db, input);
  revalidatePath("/settings");
  return { host: mailbox.host, username: mailbox.username, folder: mailbox.folder };
});
