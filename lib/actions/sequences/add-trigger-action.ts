"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { audited } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { addTrigger } from "@/lib/sequences/trigger-mutations";
import { ZAddTrigger } from "@/lib/validations/sequence";

/** Adds an entry trigger (a typed tag name creates the tag). */
export const addTriggerAction = authedAction({ role: "marketer", schema: ZAddTrigger }, async (input, { db, user }) => {
  const { id } = await addTrigger(audited(db, await userActor(user), "trigger.add", { type: "sequence", id: input.sequenceId }), input);
  revalidatePath("/sequences");
  revalidatePath(`/sequences/${input.sequenceId}`);
  return { id };
});
