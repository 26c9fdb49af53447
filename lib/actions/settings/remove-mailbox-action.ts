"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction } from "@/lib/actions/safe-action";
import { inAuditedTransaction } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { removeMailbox } from "@/lib/mailbox/settings";

/** Disconnects the mailbox: its settings and stored secret are deleted. */
export const removeMailboxAction = authedAction({ role: "admin", schema: z.object({}) }, async (_input, { db, user }) => {
  const result = await inAuditedTransaction(db, await userActor(user), "mailbox.remove", { type: "mailbox" }, (tx) => removeMailbox(tx));
  revalidatePath("/settings");
  return result;
});
