"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { inAuditedTransaction } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { saveMailbox } from "@/lib/mailbox/settings";
import { ZMailboxSettings } from "@/lib/validations/mailbox";

/** Stores a sender's mailbox settings (the secret encrypted); the page then tests the connection. */
export const saveMailboxAction = authedAction({ role: "admin", schema: ZMailboxSettings }, async (input, { db, user }) => {
  const object = { type: "mailbox" as const, id: input.senderId ?? undefined };
  const mailbox = await inAuditedTransaction(db, await userActor(user), "mailbox.save", object, (tx) => saveMailbox(tx, input));
  revalidatePath("/settings");
  return { host: mailbox.host, username: mailbox.username, folder: mailbox.folder };
});
