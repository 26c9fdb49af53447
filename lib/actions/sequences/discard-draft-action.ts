"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { discardDraft } from "@/lib/sequences/versions/publish-draft";
import { ZSequenceRef } from "@/lib/validations/sequence";

/** Drops the sequence's unpublished changes; the live steps stay as they are. */
export const discardDraftAction = authedAction({ role: "marketer", schema: ZSequenceRef }, async (input, { db }) => {
  const result = await discardDraft(db, input);
  revalidatePath(`/sequences/${input.sequenceId}`);
  return result;
});
