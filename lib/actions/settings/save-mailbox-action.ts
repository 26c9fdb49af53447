"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { inAuditedTransaction } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { saveMailbox } from "@/lib/mailbox/settings";
import { ZMailboxSettings } from "@/lib/validations/mailbox";

/** Stores the mailbox settings (the secret encrypted); the page then tests the connection. */
export const saveMailboxAction = authedAction({ role: "admin", schema: ZMailboxSettings }, async (input, { db, user }) => {
  const mailbox = await inAuditedTransaction(db, await userActor(user), "mailbox.save", { type: "mailbox" }, (tx) => saveMailbox(tx, input));
  revalidatePath("/settings");
  return { host: mailbox.host, username: mailbox.username, folder: mailbox.folder };
});
