"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { audited } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { deleteStep } from "@/lib/sequences/step-mutations";
import { ZStepRef } from "@/lib/validations/sequence";

/** Deletes a step (softly: its send history stays). */
export const deleteStepAction = authedAction({ role: "marketer", schema: ZStepRef }, async (input, { db, user }) => {
  await deleteStep(audited(db, await userActor(user), "step.delete", { type: "sequence", id: input.sequenceId }), input, { publishedBy: user.email });
  revalidatePath(`/sequences/${input.sequenceId}`);
  return { deleted: true };
});
