import "server-only";
import type { Db } from "../db/prisma";
import { ZImportPreviewInput, type TImportPreviewInput } from "../validations/contact-import";
import { parseOrThrow } from "../validations/parse";
import { normalizeEmail } from "./email";

export type StoredEmails = { existing: string[]; deleted: string[] };

/**
 * Which of a file's emails belong to contacts already stored (an import
 * updates them) or to deleted contacts (an import refuses them), for the
 * summary shown before importing. Emails compare as stored: trimmed, lower-cased.
 */
export async function findStoredEmails(db: Db, input: TImportPreviewInput): Promise<StoredEmails> {
  const { emails } = parseOrThrow(ZImportPreviewInput, input);
  const wanted = [...new Set(emails.map(normalizeEmail).filter(Boolean))];
  if (wanted.length === 0) return { existing: [], deleted: [] };
  const rows = await db.$queryRaw<{ email: string; deleted: boolean }[]>`
    SELECT lower("email") AS "email", "deletedAt" IS NOT NULL AS "deleted" FROM "Contact"
    WHERE lower("email") = ANY(${wanted}::text[])`;
  return { existing: rows.filter((r) => !r.deleted).map((r) => r.email), deleted: rows.filter((r) => r.deleted).map((r) => r.email) };
}
