"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { audited } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { removeTrigger } from "@/lib/sequences/trigger-mutations";
import { ZTriggerRef } from "@/lib/validations/sequence";

/** Removes an entry trigger. */
export const removeTriggerAction = authedAction({ role: "marketer", schema: ZTriggerRef }, async (input, { db, user }) => {
  await removeTrigger(audited(db, await userActor(user), "trigger.remove", { type: "sequence", id: input.sequenceId }), input);
  revalidatePath("/sequences");
  revalidatePath(`/sequences/${input.sequenceId}`);
  return { removed: true };
});
