"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { userActor } from "@/lib/audit/actor";
import { audited } from "@/lib/audit/audited";
import { setDefaultSender } from "@/lib/senders/manage";
import { ZSetDefaultSender } from "@/lib/validations/sender";

/** Makes a sender (or, with null, the environment's) the one sequences without their own send as. */
export const setDefaultSenderAction = authedAction({ role: "admin", schema: ZSetDefaultSender }, async (input, { db, user }) => {
  const result = await setDefaultSender(audited(db, await userActor(user), "sender.default", { type: "sender" }), input);
  revalidatePath("/settings/senders");
  return result;
});
