"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { removeTrigger } from "@/lib/sequences/trigger-mutations";
import { ZTriggerRef } from "@/lib/validations/sequence";

/** Removes an entry trigger. */
export const removeTriggerAction = authedAction({ role: "marketer", schema: ZTriggerRef }, async (input, { db }) => {
  await removeTrigger(db, input);
  revalidatePath("/sequences");
  revalidatePath(`/sequences/${input.sequenceId}`);
  return { removed: true };
});
