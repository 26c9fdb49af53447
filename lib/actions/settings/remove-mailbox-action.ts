"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { inAuditedTransaction } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { removeMailbox } from "@/lib/mailbox/settings";
import { ZMailboxTarget } from "@/lib/validations/mailbox";

/** Disconnects a sender's mailbox: its settings and stored secret are deleted. */
export const removeMailboxAction = authedAction({ role: "admin", schema: ZMailboxTarget }, async (input, { db, user }) => {
  const object = { type: "mailbox" as const, id: input.senderId ?? undefined };
  const result = await inAuditedTransaction(db, await userActor(user), "mailbox.remove", object, (tx) => removeMailbox(tx, input));
  revalidatePath("/settings");
  return result;
});
