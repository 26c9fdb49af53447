"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { audited } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { activateSequence } from "@/lib/sequences/status-transitions";
import { ZActivateSequence } from "@/lib/validations/sequence";

/** Activates a draft sequence (refused, with the reason, when it is not ready). */
export const activateSequenceAction = authedAction({ role: "marketer", schema: ZActivateSequence }, async (input, { db, user }) => {
  const { status } = await activateSequence(audited(db, await userActor(user), "sequence.activate", { type: "sequence", id: input.sequenceId }), input);
  revalidatePath("/sequences");
  revalidatePath(`/sequences/${input.sequenceId}`);
  return { status };
});
