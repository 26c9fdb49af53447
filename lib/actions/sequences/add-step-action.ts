"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { assertMergeTagsKnown } from "@/lib/email/merge-tag-check";
import { audited } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { addStep } from "@/lib/sequences/step-mutations";
import { ZAddStep } from "@/lib/validations/sequence";

/** Appends a step to a sequence. */
export const addStepAction = authedAction({ role: "marketer", schema: ZAddStep }, async (input, { db, user }) => {
  await assertMergeTagsKnown(db, input);
  const { id } = await addStep(audited(db, await userActor(user), "step.add", { type: "sequence", id: input.sequenceId }), input, { publishedBy: user.email });
  revalidatePath(`/sequences/${input.sequenceId}`);
  return { id };
});
