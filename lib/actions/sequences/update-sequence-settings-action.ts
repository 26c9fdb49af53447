"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { audited } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { updateSequenceSettings } from "@/lib/sequences/sequence-mutations";
import { ZUpdateSequenceSettings } from "@/lib/validations/sequence";

/** Saves a sequence's name, description and exit/re-entry rules. */
export const updateSequenceSettingsAction = authedAction({ role: "marketer", schema: ZUpdateSequenceSettings }, async (input, { db, user }) => {
  await updateSequenceSettings(audited(db, await userActor(user), "sequence.edit", { type: "sequence", id: input.sequenceId }), input);
  revalidatePath("/sequences");
  revalidatePath(`/sequences/${input.sequenceId}`);
  return { saved: true };
});
