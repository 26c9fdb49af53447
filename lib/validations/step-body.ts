/**
 * A step body as the forms and actions accept it: the editor's document as
 * JSON (or plain text, as steps were written before the editor, read as a
 * document). What passes is the sanitized document, re-serialized: only the
 * nodes, marks and addresses lib/email/body-doc.ts allows, typed `{{tags}}`
 * turned into merge-tag nodes. That string is what gets stored.
 */
import { z } from "zod";
import { findUnstorableText, UNSTORABLE_TEXT_MESSAGE } from "./text";
import { BODY_JSON_MAX, BODY_TEXT_MAX, docIsEmpty, docTemplateText, plainTextToDoc, tokenizeMergeTags, ZBodyDoc, type BodyDoc } from "../email/body-doc";

function toDoc(value: string, ctx: z.RefinementCtx): BodyDoc | null {
  if (!value.trimStart().startsWith("{")) return plainTextToDoc(value);
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return plainTextToDoc(value);
  }
  if (!json || typeof json !== "object" || (json as { type?: unknown }).type !== "doc") return plainTextToDoc(value);
  const parsed = ZBodyDoc.safeParse(json);
  if (parsed.success) return parsed.data;
  // The first problem in words (a link without an address, a script: URL); the path inside the document means nothing to an author.
  const custom = parsed.error.issues.find((issue) => issue.code === "custom" || issue.code === "too_small" || issue.code === "too_big" || issue.code === "invalid_format");
  ctx.addIssue({ code: "custom", message: custom?.message ?? "The message has content the editor cannot send. Remove what you pasted last." });
  return null;
}

function stepBody(required: boolean) {
  return z
    .string()
    .max(BODY_JSON_MAX, "The message is too long")
    .transform((value, ctx) => {
      const doc = toDoc(value, ctx);
      if (!doc) return z.NEVER;
      const clean = tokenizeMergeTags(doc);
      // Re-serialized, a NUL or a lone surrogate would be stored escaped and come back on reading: refuse it as text fields do.
      if (findUnstorableText(clean) !== null) {
        ctx.addIssue({ code: "custom", message: UNSTORABLE_TEXT_MESSAGE });
        return z.NEVER;
      }
      if (required && docIsEmpty(clean)) {
        ctx.addIssue({ code: "custom", message: "Write the message" });
        return z.NEVER;
      }
      if (docTemplateText(clean).length > BODY_TEXT_MAX) {
        ctx.addIssue({ code: "custom", message: `At most ${BODY_TEXT_MAX.toLocaleString("en")} characters` });
        return z.NEVER;
      }
      return JSON.stringify(clean);
    });
}

/** A body to save: not empty. */
export const ZStepBody = stepBody(true);
/** A body being edited (preview): may be empty. */
export const ZDraftStepBody = stepBody(false);
