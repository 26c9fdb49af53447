"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { userActor } from "@/lib/audit/actor";
import { inAuditedTransaction } from "@/lib/audit/audited";
import { createSender } from "@/lib/senders/manage";
import { ZSenderFields } from "@/lib/validations/sender";

/** Adds a sender identity sequences can pick. */
export const createSenderAction = authedAction({ role: "admin", schema: ZSenderFields }, async (input, { db, user }) => {
  const { id } = await inAuditedTransaction(db, await userActor(user), "sender.create", (result: { id: string }) => ({ type: "sender", id: result.id }), (tx) =>
    createSender(tx, { userId: user.id }, input),
  );
  revalidatePath("/settings/senders");
  return { id };
});
