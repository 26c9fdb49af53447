"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { setSequenceTracking } from "@/lib/tracking/settings";
import { ZSetSequenceTracking } from "@/lib/validations/analytics";

/** Switches open and click tracking of a sequence's next messages on or off. */
export const setSequenceTrackingAction = authedAction({ role: "marketer", schema: ZSetSequenceTracking }, async (input, { db }) => {
  const result = await setSequenceTracking(db, input);
  revalidatePath(`/sequences/${input.sequenceId}`);
  return result;
});
