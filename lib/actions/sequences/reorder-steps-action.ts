"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { audited } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { reorderSteps } from "@/lib/sequences/step-mutations";
import { ZReorderSteps } from "@/lib/validations/sequence";

/** Puts a sequence's steps in a new order. */
export const reorderStepsAction = authedAction({ role: "marketer", schema: ZReorderSteps }, async (input, { db, user }) => {
  const { stepIds } = await reorderSteps(audited(db, await userActor(user), "step.reorder", { type: "sequence", id: input.sequenceId }), input, { publishedBy: user.email });
  revalidatePath(`/sequences/${input.sequenceId}`);
  return { stepIds };
});
