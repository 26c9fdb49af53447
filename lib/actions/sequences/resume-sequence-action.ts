"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { audited } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { resumeSequence } from "@/lib/sequences/status-transitions";
import { ZSequenceRef } from "@/lib/validations/sequence";

/** Resumes a paused sequence; each contact continues where they were. */
export const resumeSequenceAction = authedAction({ role: "marketer", schema: ZSequenceRef }, async (input, { db, user }) => {
  const { status, restarted } = await resumeSequence(audited(db, await userActor(user), "sequence.resume", { type: "sequence", id: input.sequenceId }), input);
  revalidatePath("/sequences");
  revalidatePath(`/sequences/${input.sequenceId}`);
  return { status, restarted };
});
