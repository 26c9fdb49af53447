import type { CsvRecord } from "@/lib/contacts/csv";

/** Server actions refuse bodies over 1 MB by default; stay well under it. */
const MAX_CHUNK_CHARS = 700_000;

/** Splits rows into request-sized chunks: at most `maxRows` rows and about MAX_CHUNK_CHARS of text each. */
export function chunkRows(rows: CsvRecord[], maxRows: number, maxChars = MAX_CHUNK_CHARS): CsvRecord[][] {
  const chunks: CsvRecord[][] = [];
  let current: CsvRecord[] = [];
  let chars = 0;
  for (const row of rows) {
    const size = row.values.reduce((sum, v) => sum + v.length + 3, 20);
    if (current.length > 0 && (current.length >= maxRows || chars + size > maxChars)) {
      chunks.push(current);
      current = [];
      chars = 0;
    }
    current.push(row);
    chars += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
