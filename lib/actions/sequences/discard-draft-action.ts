"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { userActor } from "@/lib/audit/actor";
import { audited } from "@/lib/audit/audited";
import { discardDraft } from "@/lib/sequences/versions/publish-draft";
import { ZSequenceRef } from "@/lib/validations/sequence";

/** Drops the sequence's unpublished changes; the live steps stay as they are. */
export const discardDraftAction = authedAction({ role: "marketer", schema: ZSequenceRef }, async (input, { db, user }) => {
  const result = await discardDraft(audited(db, await userActor(user), "sequence.discard_draft", { type: "sequence", id: input.sequenceId }), input);
  revalidatePath(`/sequences/${input.sequenceId}`);
  return result;
});
