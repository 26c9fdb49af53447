"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { audited } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { updateSequenceSchedule } from "@/lib/sequences/schedule-mutations";
import { ZUpdateSequenceSchedule } from "@/lib/validations/schedule";

/** Saves when a sequence may send (days, window, holidays) and its fallback zone. */
export const updateSequenceScheduleAction = authedAction({ role: "marketer", schema: ZUpdateSequenceSchedule }, async (input, { db, user }) => {
  await updateSequenceSchedule(audited(db, await userActor(user), "sequence.schedule", { type: "sequence", id: input.sequenceId }), input);
  revalidatePath(`/sequences/${input.sequenceId}`);
  return { saved: true };
});
