/**
 * What a CSV import will do, before it runs: which rows create contacts,
 * which update existing ones, which repeat an earlier line of the file. Pure,
 * so the browser's summary and the server's import apply the same rules.
 */
import type { TImportMapping, TImportRow } from "../validations/contact-import";
import { serializeCsv } from "./csv";
import { normalizeEmail } from "./email";

export type ImportRowPlan =
  | { line: number; kind: "new"; email: string }
  | { line: number; kind: "update"; email: string }
  | { line: number; kind: "deleted"; email: string }
  | { line: number; kind: "duplicate"; email: string; firstLine: number }
  | { line: number; kind: "no_email" };

export type ImportSummary = { new: number; update: number; deleted: number; duplicate: number; noEmail: number; rows: ImportRowPlan[] };

/** The row's email as stored (trimmed, lower-cased), or "" when the cell is empty or unmapped. */
export function importRowEmail(row: Pick<TImportRow, "values">, mapping: TImportMapping): string {
  const column = mapping.findIndex((c) => c.target === "email");
  return column < 0 ? "" : normalizeEmail(row.values[column] ?? "");
}

/**
 * Rows whose email an earlier row of the same file already has: line ->
 * that earlier line. The first line wins; later ones are not imported.
 */
export function duplicateLines(rows: Pick<TImportRow, "line" | "values">[], mapping: TImportMapping): Map<number, number> {
  const firstLine = new Map<string, number>();
  const duplicates = new Map<number, number>();
  for (const row of rows) {
    const email = importRowEmail(row, mapping);
    if (!email) continue;
    const first = firstLine.get(email);
    if (first === undefined) firstLine.set(email, row.line);
    else duplicates.set(row.line, first);
  }
  return duplicates;
}

export function duplicateReason(email: string, firstLine: number): string {
  return `Email "${email}": duplicate of line ${firstLine} (the first one is imported)`;
}

/** Each row's fate, given the stored emails that exist (and those of deleted contacts). */
export function planImport(rows: TImportRow[], mapping: TImportMapping, stored: { existing: Set<string>; deleted: Set<string> }): ImportSummary {
  const duplicates = duplicateLines(rows, mapping);
  const summary: ImportSummary = { new: 0, update: 0, deleted: 0, duplicate: 0, noEmail: 0, rows: [] };
  for (const row of rows) {
    const email = importRowEmail(row, mapping);
    const firstLine = duplicates.get(row.line);
    let plan: ImportRowPlan;
    if (!email) plan = { line: row.line, kind: "no_email" };
    else if (firstLine !== undefined) plan = { line: row.line, kind: "duplicate", email, firstLine };
    else if (stored.deleted.has(email)) plan = { line: row.line, kind: "deleted", email };
    else if (stored.existing.has(email)) plan = { line: row.line, kind: "update", email };
    else plan = { line: row.line, kind: "new", email };
    summary.rows.push(plan);
    if (plan.kind === "no_email") summary.noEmail++;
    else summary[plan.kind]++;
  }
  return summary;
}

/** The rows that were not imported, as a CSV with the file's header and a last "error" column. */
export function failedRowsCsv(header: string[], rows: TImportRow[], failures: { line: number; reason: string }[]): string {
  const byLine = new Map(rows.map((r) => [r.line, r.values]));
  const lines = [...failures].sort((a, b) => a.line - b.line).map((f) => {
    const values = byLine.get(f.line) ?? [];
    return [...header.map((_, i) => values[i] ?? ""), f.reason];
  });
  return serializeCsv([[...header, "error"], ...lines], { bom: true });
}
