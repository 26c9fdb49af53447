"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { deleteStep } from "@/lib/sequences/step-mutations";
import { ZStepRef } from "@/lib/validations/sequence";

/** Deletes a step (softly: its send history stays). */
export const deleteStepAction = authedAction({ role: "marketer", schema: ZStepRef }, async (input, { db, user }) => {
  await deleteStep(db, input, { publishedBy: user.email });
  revalidatePath(`/sequences/${input.sequenceId}`);
  return { deleted: true };
});
