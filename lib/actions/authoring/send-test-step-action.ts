"use server";

import { authedAction } from "@/lib/actions/safe-action";
import { sendTestStep } from "@/lib/email/test-send";
import { ZSendTestStep } from "@/lib/validations/authoring";

/** Sends the step being edited, rendered for a chosen contact, to the signed-in user only. */
export const sendTestStepAction = authedAction({ role: "marketer", schema: ZSendTestStep }, async (input, { db, user }) => {
  return sendTestStep(db, input, { id: user.id, email: user.email });
});
