"use server";

import { revalidatePath } from "next/cache";
import { AppError, authedAction } from "@/lib/actions/safe-action";
import { userActor } from "@/lib/audit/actor";
import { audited } from "@/lib/audit/audited";
import { publishDraft, STALE_PREVIEW } from "@/lib/sequences/versions/publish-draft";
import { ZPublishDraft } from "@/lib/validations/versions";

/**
 * Publishes the sequence's draft as a version, migrating everyone in it as
 * the preview showed; refused, changing nothing, when the preview is stale.
 */
export const publishDraftAction = authedAction({ role: "marketer", schema: ZPublishDraft }, async (input, { db, user }) => {
  const result = await publishDraft(audited(db, await userActor(user), "sequence.publish", { type: "sequence", id: input.sequenceId }), input, { publishedBy: user.email });
  if (result.outcome === "stale") throw new AppError("conflict", STALE_PREVIEW);
  revalidatePath(`/sequences/${input.sequenceId}`);
  return { version: result.version };
});
