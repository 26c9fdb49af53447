"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { reorderSteps } from "@/lib/sequences/step-mutations";
import { ZReorderSteps } from "@/lib/validations/sequence";

/** Puts a sequence's steps in a new order. */
export const reorderStepsAction = authedAction({ role: "marketer", schema: ZReorderSteps }, async (input, { db, user }) => {
  const { stepIds } = await reorderSteps(db, input, { publishedBy: user.email });
  revalidatePath(`/sequences/${input.sequenceId}`);
  return { stepIds };
});
