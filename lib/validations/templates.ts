/** Step templates and snippets: the forms' and actions' input. */
import { z } from "zod";
import { ZId } from "./enrollment";
import { ZStepBody } from "./step-body";

export const ZTemplateName = z.string().trim().min(1, "Give it a name").max(100, "At most 100 characters");

export const ZSaveTemplate = z.object({
  name: ZTemplateName,
  subject: z.string().trim().min(1, "Write a subject").max(200, "At most 200 characters"),
  body: ZStepBody,
});
export type TSaveTemplate = z.infer<typeof ZSaveTemplate>;

export const ZCreateSnippet = z.object({ name: ZTemplateName, body: ZStepBody });
export type TCreateSnippet = z.infer<typeof ZCreateSnippet>;

export const ZRename = z.object({ id: ZId, name: ZTemplateName });
export type TRename = z.infer<typeof ZRename>;

export const ZTemplateRef = z.object({ id: ZId });
export type TTemplateRef = z.infer<typeof ZTemplateRef>;

export const ZListTemplates = z.object({ query: z.string().trim().max(100, "At most 100 characters").default("") });
export type TListTemplates = z.infer<typeof ZListTemplates>;
