"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { resumeSequence } from "@/lib/sequences/status-transitions";
import { ZSequenceRef } from "@/lib/validations/sequence";

/** Resumes a paused sequence; each contact continues where they were. */
export const resumeSequenceAction = authedAction({ role: "marketer", schema: ZSequenceRef }, async (input, { db }) => {
  const { status, restarted } = await resumeSequence(db, input);
  revalidatePath("/sequences");
  revalidatePath(`/sequences/${input.sequenceId}`);
  return { status, restarted };
});
