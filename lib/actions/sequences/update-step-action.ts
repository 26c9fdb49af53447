"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { assertMergeTagsKnown } from "@/lib/email/merge-tag-check";
import { audited } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { updateStep } from "@/lib/sequences/step-mutations";
import { ZUpdateStep } from "@/lib/validations/sequence";

/** Saves a step's delay, subject and body. */
export const updateStepAction = authedAction({ role: "marketer", schema: ZUpdateStep }, async (input, { db, user }) => {
  await assertMergeTagsKnown(db, input);
  await updateStep(audited(db, await userActor(user), "step.edit", { type: "sequence", id: input.sequenceId }), input, { publishedBy: user.email });
  revalidatePath(`/sequences/${input.sequenceId}`);
  return { saved: true };
});
