import type { Db } from "../db/prisma";
import { isAppError } from "../errors";
import { ZImportContactsInput, type TImportContactsInput, type TImportMapping, type TImportRow } from "../validations/contact-import";
import { parseOrThrow } from "../validations/parse";
import { duplicateLines, duplicateReason, importRowEmail } from "./import-plan";
import { importRowChecker } from "./import-check";
import { applyImportEffects } from "./import-effects";
import { describeAppError, truncate } from "./import-reasons";
import { saveImportBatch, type ImportCandidate, type SaveOutcome } from "./import-save";
import { ImportTagsError } from "./import-tags";
import { upsertContact } from "./upsert";
import { canonicalKeyMap } from "../email/attribute-keys";
import { keyIdentity } from "../email/merge-tags";

export type ImportFailure = { line: number; reason: string };
export type ImportResult = { imported: number; updated: number; failed: ImportFailure[] };
export type ImportProgress = { done: number; total: number };

/**
 * Rows saved per transaction (and between progress reports): a few
 * statements per batch whatever its size, short enough that the contacts
 * it locks are not held for long.
 */
export const IMPORT_BATCH_SIZE = 5000;
/** Batches saved at the same time (two transactions, two connections): the database works on one while it waits on the other's round trips. */
const SAVES_AT_ONCE = 2;

type ContactInput = Parameters<typeof upsertContact>[1];
type Options = { fireTriggers: boolean; onlyFillEmpty: boolean };
type RowChecker = ReturnType<typeof importRowChecker>;

/**
 * Imports CSV rows with the same validation and rules as every other way
 * contacts arrive, set-based: each row is checked in Node (a bad row is
 * reported with its line, why and the offending value, and does not stop
 * the others), then the good rows of a batch are written in a few
 * statements (import-save.ts: new emails created, known ones updated, or
 * with `onlyFillEmpty` only their empty fields filled: emails match
 * case-insensitively), and their tags and scores fire triggers through the
 * bulk enrollment path (import-effects.ts). A row repeating an earlier
 * row's email is not imported ("duplicate of line N"): the browser applies
 * the same rule across the chunks of a file.
 */
export async function importContacts(
  db: Db,
  input: TImportContactsInput,
  onProgress?: (progress: ImportProgress) => void,
  { batchSize = IMPORT_BATCH_SIZE }: { batchSize?: number } = {},
): Promise<ImportResult> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize: a whole number of rows, at least 1 (got ${batchSize})`);
  const parsed = parseOrThrow(ZImportContactsInput, input);
  const { rows, fireTriggers, tagNames = [], onlyFillEmpty = false } = parsed;
  // The stored keys are read (a pass over the contacts' attributes) only when the file has attribute columns.
  const hasAttributes = parsed.mapping.some((column) => column.target === "attribute");
  const mapping = hasAttributes ? canonicalMapping(parsed.mapping, await canonicalKeyMap(db)) : parsed.mapping;
  const result: ImportResult = { imported: 0, updated: 0, failed: [] };
  const duplicates = duplicateLines(rows, mapping);
  const check = importRowChecker();

  // Two batches are saved at once, each in its own transaction on its own
  // connection (its contacts, tags and tag triggers), while the next one is
  // checked in Node: the batches hold different contacts (the file's
  // repeated emails were set aside above), so they never wait on each
  // other's rows. Results are taken in file order; each batch's effects
  // (score triggers, started runs handed over) run one batch at a time in
  // file order, and progress follows them.
  const pending: { save: Promise<SavedBatch>; done: number }[] = [];
  let effects: Promise<void> = Promise.resolve();
  let failure = null as { error: unknown } | null;

  // The oldest save's rows counted and its effects queued; a failed save stops the import (after the saves under way).
  const settleOldest = async () => {
    const { save, done } = pending.shift()!;
    try {
      const { outcome, effectsToApply } = await save;
      for (const row of outcome.saved) {
        if (row.created) result.imported++;
        else result.updated++;
      }
      result.failed.push(...outcome.failed);
      // A batch that committed gets its effects even after an earlier one failed (its started runs must reach the
      // event sender), but progress is reported only while every batch before it was saved: results come in file order.
      const reportProgress = !failure;
      effects = effects.then(() => applyImportEffects(db, effectsToApply, outcome.started, { fireTriggers })).then(() => {
        if (reportProgress) onProgress?.({ done, total: rows.length });
      });
      // Its failure is awaited (and thrown) below; until then it must not count as unhandled.
      effects.catch(() => {});
    } catch (error) {
      failure ??= { error };
    }
  };

  try {
    for (let start = 0; start < rows.length && !failure; start += batchSize) {
      const batch = rows.slice(start, start + batchSize);
      const candidates: ImportCandidate[] = [];
      for (const row of batch) {
        const firstLine = duplicates.get(row.line);
        if (firstLine !== undefined) {
          result.failed.push({ line: row.line, reason: duplicateReason(importRowEmail(row, mapping), firstLine) });
          continue;
        }
        const checked = checkRow(row, mapping, tagNames, check);
        if ("reason" in checked) result.failed.push({ line: row.line, reason: checked.reason });
        else candidates.push(checked);
      }
      if (pending.length === SAVES_AT_ONCE) await settleOldest();
      if (failure) break;
      const save = saveBatch(db, candidates, { fireTriggers, onlyFillEmpty });
      save.catch(() => {});
      pending.push({ save, done: start + batch.length });
    }
  } finally {
    // Whatever happened, no save or effects are left running when this returns or throws.
    while (pending.length > 0) await settleOldest();
    await effects.catch(() => {});
  }
  if (failure) throw failure.error;
  await effects;
  result.failed.sort((a, b) => a.line - b.line);
  return result;
}

/** A row as a valid contact, or why not: the same schema and messages as upsertContact's. */
function checkRow(row: TImportRow, mapping: TImportMapping, tagNames: string[], check: RowChecker): ImportCandidate | { reason: string } {
  const built = rowToContactInput(row, mapping, tagNames);
  if ("reason" in built) return built;
  const checked = check(built.input);
  if (!checked.ok) return { reason: describeAppError("Please correct the highlighted fields.", checked.fieldErrors, built.input) };
  return { line: row.line, raw: built.input, contact: checked.contact };
}

/**
 * The batch set-based, with its tags and tag triggers; its score triggers
 * are left to the caller (`effectsToApply`). Should the set-based write of
 * the contacts fail unexpectedly (text PostgreSQL cannot store, say), the
 * batch is saved row by row instead (upsertContact applies each row's tags
 * and triggers itself), so only the rows at fault fail, as before. Should
 * its tags or their triggers fail, the import stops with that error.
 */
type SavedBatch = { outcome: SaveOutcome; effectsToApply: SaveOutcome["saved"] };

async function saveBatch(db: Db, candidates: ImportCandidate[], options: Options): Promise<SavedBatch> {
  try {
    const outcome = await saveImportBatch(db, candidates, { source: "import", ...options });
    return { outcome, effectsToApply: outcome.saved };
  } catch (error) {
    if (error instanceof ImportTagsError) throw error.cause;
    console.error(`[import] a batch of ${candidates.length} rows could not be saved at once; saving them one by one`, error);
    return { outcome: await saveRowByRow(db, candidates, options), effectsToApply: [] };
  }
}

async function saveRowByRow(db: Db, candidates: ImportCandidate[], options: Options): Promise<SaveOutcome> {
  const outcome: SaveOutcome = { saved: [], failed: [], started: [] };
  for (const row of candidates) {
    try {
      const { contactId, created } = await upsertContact(db, row.raw, { source: "import", ...options });
      outcome.saved.push({ line: row.line, contactId, created, tags: [], score: null });
    } catch (error) {
      const reason = isAppError(error) ? describeAppError(error.message, error.fieldErrors, row.raw) : "Could not be saved (unexpected error)";
      if (!isAppError(error)) console.error(`[import] line ${row.line} could not be saved`, error);
      outcome.failed.push({ line: row.line, reason });
    }
  }
  return outcome;
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
