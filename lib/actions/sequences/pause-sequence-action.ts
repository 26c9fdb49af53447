"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { audited } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { pauseSequence } from "@/lib/sequences/status-transitions";
import { ZSequenceRef } from "@/lib/validations/sequence";

/** Pauses an active sequence: runs stop at their next step. */
export const pauseSequenceAction = authedAction({ role: "marketer", schema: ZSequenceRef }, async (input, { db, user }) => {
  const { status } = await pauseSequence(audited(db, await userActor(user), "sequence.pause", { type: "sequence", id: input.sequenceId }), input);
  revalidatePath("/sequences");
  revalidatePath(`/sequences/${input.sequenceId}`);
  return { status };
});
