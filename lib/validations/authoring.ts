/** Input of the step editor's preview, test send and merge-tag picker. */
import { z } from "zod";
import { ZId } from "./enrollment";
import { ZDraftStepBody, ZStepBody } from "./step-body";

/** A step's subject and body as being edited (not yet saved: no minimum length). */
const draftStep = {
  subject: z.string().max(200, "At most 200 characters"),
  body: ZDraftStepBody,
  /** Whom to render for; none: a sample contact. */
  contactId: ZId.optional(),
  /** The sequence whose sender it is from; none: the default sender. */
  sequenceId: ZId.optional(),
};

export const ZPreviewStep = z.object(draftStep);
export type TPreviewStep = z.infer<typeof ZPreviewStep>;

export const ZSendTestStep = z.object({
  ...draftStep,
  subject: draftStep.subject.trim().min(1, "Write a subject"),
  body: ZStepBody,
});
export type TSendTestStep = z.infer<typeof ZSendTestStep>;

export const ZFindPreviewContacts = z.object({ query: z.string().trim().max(200, "At most 200 characters") });
export type TFindPreviewContacts = z.infer<typeof ZFindPreviewContacts>;

export const ZNoInput = z.object({}).strict();
