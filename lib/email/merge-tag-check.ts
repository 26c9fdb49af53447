import "server-only";
import type { Db } from "../db/prisma";
import { AppError, type FieldErrors } from "../errors";
import { listAttributeKeys } from "./attribute-keys";
import { bodyTemplateText } from "./body-doc";
import { mergeTagProblems } from "./merge-tags";

/**
 * Refuses a subject or body with a tag that would be sent wrongly: an
 * unknown key (it would vanish) or a malformed tag (sent as typed). Field
 * errors name the tag, on the field it is in.
 */
export async function assertMergeTagsKnown(db: Db, step: { subject: string; body: string }): Promise<void> {
  const keys = (await listAttributeKeys(db)).map((k) => k.key);
  const fieldErrors: FieldErrors = {};
  for (const field of ["subject", "body"] as const) {
    // The body's tags as written in its text and merge-tag nodes: one syntax, one check.
    const problems = mergeTagProblems(field === "body" ? bodyTemplateText(step.body) : step.subject, keys);
    if (problems.length) fieldErrors[field] = problems.map((p) => p.message);
  }
  if (Object.keys(fieldErrors).length) throw new AppError("validation", "A merge tag is not known. Pick tags from the list.", fieldErrors);
}
