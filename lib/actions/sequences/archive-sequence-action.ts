"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { audited } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { archiveSequence } from "@/lib/sequences/status-transitions";
import { ZSequenceRef } from "@/lib/validations/sequence";

/** Archives a draft, or a paused sequence nobody is in any more. */
export const archiveSequenceAction = authedAction({ role: "marketer", schema: ZSequenceRef }, async (input, { db, user }) => {
  const { status } = await archiveSequence(audited(db, await userActor(user), "sequence.archive", { type: "sequence", id: input.sequenceId }), input);
  revalidatePath("/sequences");
  revalidatePath(`/sequences/${input.sequenceId}`);
  return { status };
});
