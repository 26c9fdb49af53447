"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { updateSequenceSettings } from "@/lib/sequences/sequence-mutations";
import { ZUpdateSequenceSettings } from "@/lib/validations/sequence";

/** Saves a sequence's name, description and exit/re-entry rules. */
export const updateSequenceSettingsAction = authedAction({ role: "marketer", schema: ZUpdateSequenceSettings }, async (input, { db }) => {
  await updateSequenceSettings(db, input);
  revalidatePath("/sequences");
  revalidatePath(`/sequences/${input.sequenceId}`);
  return { saved: true };
});
