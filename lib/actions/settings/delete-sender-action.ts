"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { userActor } from "@/lib/audit/actor";
import { audited } from "@/lib/audit/audited";
import { deleteSender } from "@/lib/senders/manage";
import { ZSenderRef } from "@/lib/validations/sender";

/** Deletes a sender no sequence uses (refused, naming them, otherwise). */
export const deleteSenderAction = authedAction({ role: "admin", schema: ZSenderRef }, async (input, { db, user }) => {
  await deleteSender(audited(db, await userActor(user), "sender.delete", { type: "sender", id: input.senderId }), input);
  revalidatePath("/settings/senders");
  return { deleted: true };
});
