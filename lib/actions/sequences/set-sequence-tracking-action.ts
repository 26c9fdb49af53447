"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { userActor } from "@/lib/audit/actor";
import { inAuditedTransaction } from "@/lib/audit/audited";
import { setSequenceTracking } from "@/lib/tracking/settings";
import { ZSetSequenceTracking } from "@/lib/validations/analytics";

/** Switches open and click tracking of a sequence's next messages on or off. */
export const setSequenceTrackingAction = authedAction({ role: "marketer", schema: ZSetSequenceTracking }, async (input, { db, user }) => {
  const result = await inAuditedTransaction(db, await userActor(user), "sequence.tracking", { type: "sequence", id: input.sequenceId }, (tx) => setSequenceTracking(tx, input));
  revalidatePath(`/sequences/${input.sequenceId}`);
  return result;
});
