"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { archiveSequence } from "@/lib/sequences/status-transitions";
import { ZSequenceRef } from "@/lib/validations/sequence";

/** Archives a draft, or a paused sequence nobody is in any more. */
export const archiveSequenceAction = authedAction({ role: "marketer", schema: ZSequenceRef }, async (input, { db }) => {
  const { status } = await archiveSequence(db, input);
  revalidatePath("/sequences");
  revalidatePath(`/sequences/${input.sequenceId}`);
  return { status };
});
