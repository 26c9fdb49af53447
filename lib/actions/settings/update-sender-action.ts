"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { userActor } from "@/lib/audit/actor";
import { inAuditedTransaction } from "@/lib/audit/audited";
import { updateSender } from "@/lib/senders/manage";
import { ZUpdateSender } from "@/lib/validations/sender";

/** Changes a sender's name, address or reply-to; its sequences use them from their next step. */
export const updateSenderAction = authedAction({ role: "admin", schema: ZUpdateSender }, async (input, { db, user }) => {
  await inAuditedTransaction(db, await userActor(user), "sender.edit", { type: "sender", id: input.senderId }, (tx) => updateSender(tx, { userId: user.id }, input));
  revalidatePath("/settings/senders");
  return { saved: true };
});
