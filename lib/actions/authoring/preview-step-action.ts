"use server";

import { authedAction } from "@/lib/actions/safe-action";
import { previewStep } from "@/lib/email/step-preview";
import { ZPreviewStep } from "@/lib/validations/authoring";

/** The step being edited, rendered for a chosen (or sample) contact exactly as it would be sent. */
export const previewStepAction = authedAction({ role: "marketer", schema: ZPreviewStep }, async (input, { db }) => {
  const { contact, message, sender } = await previewStep(db, input);
  return { contact, from: sender.from, replyTo: sender.replyTo, subject: message.subject, text: message.text, html: message.html };
});
