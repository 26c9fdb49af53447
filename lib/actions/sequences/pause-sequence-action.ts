"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { pauseSequence } from "@/lib/sequences/status-transitions";
import { ZSequenceRef } from "@/lib/validations/sequence";

/** Pauses an active sequence: runs stop at their next step. */
export const pauseSequenceAction = authedAction({ role: "marketer", schema: ZSequenceRef }, async (input, { db }) => {
  const { status } = await pauseSequence(db, input);
  revalidatePath("/sequences");
  revalidatePath(`/sequences/${input.sequenceId}`);
  return { status };
});
