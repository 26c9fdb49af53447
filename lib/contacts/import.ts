import type { Db } from "../db/prisma";
import { isAppError, type FieldErrors } from "../errors";
import { ZImportContactsInput, type TImportContactsInput, type TImportMapping, type TImportRow } from "../validations/contact-import";
import { parseOrThrow } from "../validations/parse";
import { duplicateLines, duplicateReason, importRowEmail } from "./import-plan";
import { upsertContact } from "./upsert";
import { canonicalKeyMap } from "../email/attribute-keys";
import { keyIdentity } from "../email/merge-tags";

export type ImportFailure = { line: number; reason: string };
export type ImportResult = { imported: number; updated: number; failed: ImportFailure[] };
export type ImportProgress = { done: number; total: number };

/** Rows handled between progress reports. */
export const IMPORT_BATCH_SIZE = 100;
/** Rows saved at once, each in its own short transaction; leaves some of the app pool (10) for pages. */
const CONCURRENCY = 6;

type ContactInput = Parameters<typeof upsertContact>[1];
type RowOutcome = { line: number; kind: "created" } | { line: number; kind: "updated" } | { line: number; kind: "failed"; reason: string };

const FIELD_LABELS: Record<string, string> = {
  email: "Email",
  firstName: "First name",
  lastName: "Last name",
  leadScore: "Lead score",
  timezone: "Time zone",
  tags: "Tags",
  attributes: "Attributes",
};

/**
 * Imports CSV rows through the same validation and upsert as every other
 * way contacts arrive. Good rows are saved (new emails created, known ones
 * updated, or with `onlyFillEmpty` only their empty fields filled: emails
 * match case-insensitively); each bad row is reported with its line, why and
 * the offending value, and does not stop the others. A row repeating an
 * earlier row's email is not imported ("duplicate of line N"): the browser
 * applies the same rule across the chunks of a file.
 */
export async function importContacts(
  db: Db,
  input: TImportContactsInput,
  onProgress?: (progress: ImportProgress) => void,
): Promise<ImportResult> {
  const parsed = parseOrThrow(ZImportContactsInput, input);
  const { rows, fireTriggers, tagNames = [], onlyFillEmpty = false } = parsed;
  const mapping = canonicalMapping(parsed.mapping, await canonicalKeyMap(db));
  const result: ImportResult = { imported: 0, updated: 0, failed: [] };
  const duplicates = duplicateLines(rows, mapping);

  for (let start = 0; start < rows.length; start += IMPORT_BATCH_SIZE) {
    const batch = rows.slice(start, start + IMPORT_BATCH_SIZE);
    const unique = batch.filter((row) => {
      const firstLine = duplicates.get(row.line);
      if (firstLine !== undefined) result.failed.push({ line: row.line, reason: duplicateReason(importRowEmail(row, mapping), firstLine) });
      return firstLine === undefined;
    });
    for (const outcome of await importBatch(db, unique, { mapping, fireTriggers, tagNames, onlyFillEmpty })) {
      if (outcome.kind === "created") result.imported++;
      else if (outcome.kind === "updated") result.updated++;
      else result.failed.push({ line: outcome.line, reason: outcome.reason });
    }
    onProgress?.({ done: start + batch.length, total: rows.length });
  }
  result.failed.sort((a, b) => a.line - b.line);
  return result;
}

/**
 * Attribute columns written under the key contacts already have, whatever
 * the header's case: a "Company" column fills "company" rather than adding a
 * near-duplicate attribute that merge tags and exports would see twice.
 */
export function canonicalMapping(mapping: TImportMapping, canonical: Map<string, string>): TImportMapping {
  return mapping.map((column) =>
    column.target === "attribute" && column.attributeKey
      ? { ...column, attributeKey: canonical.get(keyIdentity(column.attributeKey)) ?? column.attributeKey.trim() }
      : column,
  );
}

type BatchOptions = { mapping: TImportMapping; fireTriggers: boolean; tagNames: string[]; onlyFillEmpty: boolean };

/** Rows of distinct emails (duplicates were taken out), so saving them at once never races. */
async function importBatch(db: Db, batch: TImportRow[], options: BatchOptions): Promise<RowOutcome[]> {
  return mapConcurrently(batch, CONCURRENCY, (row) => importRow(db, row, options));
}

async function importRow(db: Db, row: TImportRow, options: BatchOptions): Promise<RowOutcome> {
  const built = rowToContactInput(row, options.mapping, options.tagNames);
  if ("reason" in built) return { line: row.line, kind: "failed", reason: built.reason };
  try {
    const { created } = await upsertContact(db, built.input, { source: "import", fireTriggers: options.fireTriggers, onlyFillEmpty: options.onlyFillEmpty });
    return created ? { line: row.line, kind: "created" } : { line: row.line, kind: "updated" };
  } catch (error) {
    if (isAppError(error)) return { line: row.line, kind: "failed", reason: describeAppError(error.message, error.fieldErrors, built.input) };
    console.error(`[import] line ${row.line} could not be saved`, error);
    return { line: row.line, kind: "failed", reason: "Could not be saved (unexpected error)" };
  }
}

/** A CSV row as contact input: blank cells are left out, so they never erase stored values. */
export function rowToContactInput(row: TImportRow, mapping: TImportMapping, tagNames: string[] = []): { input: ContactInput } | { reason: string } {
  const input: Record<string, unknown> = {};
  const attributes: Record<string, string> = {};
  const tags = [...tagNames];

  for (const [index, column] of mapping.entries()) {
    const value = (row.values[index] ?? "").trim();
    if (!value || column.target === "ignore") continue;
    switch (column.target) {
      case "leadScore":
        if (!/^[+-]?\d+$/.test(value)) return { reason: `Lead score: "${truncate(value)}" is not a whole number` };
        input.leadScore = Number(value);
        break;
      case "tags":
        tags.push(...value.split(";").map((t) => t.trim()).filter(Boolean));
        break;
      case "attribute":
        attributes[column.attributeKey!.trim()] = value;
        break;
      default:
        input[column.target] = value;
    }
  }
  if (!input.email) return { reason: "Email: missing" };
  if (Object.keys(attributes).length) input.attributes = attributes;
  if (tags.length) input.tags = [...new Set(tags)];
  return { input: input as ContactInput };
}

function describeAppError(message: string, fieldErrors: FieldErrors | undefined, input: ContactInput): string {
  if (!fieldErrors || Object.keys(fieldErrors).length === 0) return message;
  return Object.entries(fieldErrors)
    .map(([field, messages]) => {
      const value = offendingValue(input, field);
      return `${fieldLabel(field)}${value === undefined ? "" : ` "${truncate(value)}"`}: ${messages.join(", ")}`;
    })
    .join("; ");
}

/** The value a field error is about ("email", "tags.1", "attributes.plan"), as the file had it. */
function offendingValue(input: ContactInput, path: string): string | undefined {
  const [head, ...rest] = path.split(".");
  let value: unknown = (input as Record<string, unknown>)[head];
  for (const key of rest) value = value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

function fieldLabel(path: string): string {
  const [head, ...rest] = path.split(".");
  if (head === "attributes" && rest.length) return `Attribute "${rest[0]}"`;
  if (head === "tags" && rest.length) return "Tag";
  return FIELD_LABELS[head] ?? path;
}

function truncate(value: string, max = 40): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

async function mapConcurrently<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  });
  await Promise.all(workers);
  return results;
}
