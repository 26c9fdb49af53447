import { z } from "zod";
import { ZAttributeKey } from "./contact-profile";
import { ZTagName } from "./contact";
import { trimChar } from "../utils/trim-char";

export const IMPORT_TARGETS = ["email", "firstName", "lastName", "leadScore", "timezone", "tags", "attribute", "ignore"] as const;
export type TImportTarget = (typeof IMPORT_TARGETS)[number];

export const IMPORT_TARGET_LABELS: Record<TImportTarget, string> = {
  email: "Email",
  firstName: "First name",
  lastName: "Last name",
  leadScore: "Lead score",
  timezone: "Time zone",
  tags: "Tags (separated by ;)",
  attribute: "Custom attribute",
  ignore: "Don't import",
};

/** Targets a file may map at most once (attributes and "ignore" repeat). */
const SINGLE_USE: TImportTarget[] = ["email", "firstName", "lastName", "leadScore", "timezone", "tags"];

export const ZImportColumn = z.object({ target: z.enum(IMPORT_TARGETS), attributeKey: z.string().optional() });
export type TImportColumn = z.infer<typeof ZImportColumn>;

/** What each CSV column (by position) becomes. */
export const ZImportMapping = z
  .array(ZImportColumn)
  .min(1, "The file has no columns")
  .max(200, "At most 200 columns")
  .superRefine((columns, ctx) => {
    if (!columns.some((c) => c.target === "email")) ctx.addIssue({ code: "custom", message: "Choose the column that holds the email address", path: [] });
    for (const target of SINGLE_USE) {
      const indexes = columns.flatMap((c, i) => (c.target === target ? [i] : []));
      for (const i of indexes.slice(1)) ctx.addIssue({ code: "custom", message: `Only one column can be "${IMPORT_TARGET_LABELS[target]}"`, path: [i, "target"] });
    }
    const keys = new Set<string>();
    columns.forEach((c, i) => {
      if (c.target !== "attribute") return;
      const key = ZAttributeKey.safeParse(c.attributeKey ?? "");
      if (!key.success) ctx.addIssue({ code: "custom", message: key.error.issues[0].message, path: [i, "attributeKey"] });
      // Case-insensitively: "Company" and "company" are one attribute (merge tags ignore case).
      else if (keys.has(key.data.toLowerCase())) ctx.addIssue({ code: "custom", message: "This attribute name is used twice", path: [i, "attributeKey"] });
      else keys.add(key.data.toLowerCase());
    });
  });
export type TImportMapping = z.infer<typeof ZImportMapping>;

export const ZImportRow = z.object({
  line: z.number().int().min(1),
  values: z.array(z.string().max(10_000, "A cell is longer than 10,000 characters")).max(200),
});
export type TImportRow = z.infer<typeof ZImportRow>;

export const ZImportContactsInput = z.object({
  rows: z.array(ZImportRow),
  mapping: ZImportMapping,
  /** Whether new tags and scores enroll contacts through entry triggers. */
  fireTriggers: z.boolean(),
  /** Tags added to every imported contact. */
  tagNames: z.array(ZTagName).max(20).optional(),
  /** Existing contacts keep every value they have; only empty fields are filled (tags are still added). */
  onlyFillEmpty: z.boolean().optional(),
});
export type TImportContactsInput = z.infer<typeof ZImportContactsInput>;

/** Rows per server action call: small enough for the request size limit and a short request. */
export const IMPORT_CHUNK_ROWS = 500;
export const IMPORT_MAX_FILE_BYTES = 20 * 1024 * 1024;

export const ZImportChunkInput = ZImportContactsInput.extend({
  rows: z.array(ZImportRow).min(1).max(IMPORT_CHUNK_ROWS, `At most ${IMPORT_CHUNK_ROWS} rows per request`),
});

/** Emails per summary request before an import (the browser sends a file's emails in turn). */
export const IMPORT_PREVIEW_EMAILS = 5000;

/** The emails of a file, to learn which contacts exist already. Cells as in the file; anything else is ignored. */
export const ZImportPreviewInput = z.object({
  emails: z.array(z.string().max(10_000, "A cell is longer than 10,000 characters")).min(1).max(IMPORT_PREVIEW_EMAILS, `At most ${IMPORT_PREVIEW_EMAILS} emails per request`),
});
export type TImportPreviewInput = z.infer<typeof ZImportPreviewInput>;

/** A mapping guess from a header name ("E-mail", "first_name", "Company"). */
export function guessImportColumn(header: string): TImportColumn {
  const h = header.trim().toLowerCase().replace(/[\s_\-.]+/g, "");
  if (["email", "emailaddress", "mail"].includes(h)) return { target: "email" };
  if (["firstname", "first", "givenname", "forename"].includes(h)) return { target: "firstName" };
  if (["lastname", "last", "surname", "familyname"].includes(h)) return { target: "lastName" };
  if (["leadscore", "score"].includes(h)) return { target: "leadScore" };
  if (["timezone", "tz", "zone"].includes(h)) return { target: "timezone" };
  if (["tags", "tag", "labels"].includes(h)) return { target: "tags" };
  // Columns our own export (and the failed-rows download: "error") write that are not contact data to set.
  if (["id", "status", "createdat", "created", "updatedat", "error"].includes(h)) return { target: "ignore" };
  return { target: "attribute", attributeKey: attributeKeyFor(header) };
}

/** "Company Name" -> "Company_Name": a key usable as a merge tag (case kept, so exports round-trip). */
export function attributeKeyFor(header: string): string {
  const key = trimChar(header.trim().replace(/[^\w.]+/g, "_"), "_").slice(0, 64);
  return /^[A-Za-z_]/.test(key) ? key : `_${key}`.slice(0, 64);
}
