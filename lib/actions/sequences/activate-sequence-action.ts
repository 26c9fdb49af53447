"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { activateSequence } from "@/lib/sequences/status-transitions";
import { ZActivateSequence } from "@/lib/validations/sequence";

/** Activates a draft sequence (refused, with the reason, when it is not ready). */
export const activateSequenceAction = authedAction({ role: "marketer", schema: ZActivateSequence }, async (input, { db }) => {
  const { status } = await activateSequence(db, input);
  revalidatePath("/sequences");
  revalidatePath(`/sequences/${input.sequenceId}`);
  return { status };
});
