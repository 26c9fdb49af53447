/**
 * CSV (RFC 4180, as spreadsheets write it): quoted fields with "" escapes,
 * embedded commas and newlines, CRLF or LF line ends, a UTF-8 BOM. Pure, so
 * that the browser parses uploads with the same code the tests check.
 */

export type CsvRecord = {
  /** 1-based line of the file where the record starts (the header is line 1). */
  line: number;
  values: string[];
};

export class CsvError extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
    this.name = "CsvError";
  }
}

const BOM = "\uFEFF";
const LF = 10;
const CR = 13;

/** The likeliest delimiter from the header line: comma, semicolon or tab. */
export function detectDelimiter(text: string): string {
  const firstLine = text.replace(BOM, "").split(/\r\n|\n|\r/, 1)[0] ?? "";
  const unquoted = firstLine.replace(/"[^"]*"/g, "");
  let best = ",";
  let bestCount = 0;
  for (const delimiter of [",", ";", "\t"]) {
    const count = unquoted.split(delimiter).length - 1;
    if (count > bestCount) [best, bestCount] = [delimiter, count];
  }
  return best;
}

/**
 * Parses CSV text into records, skipping blank lines. Throws CsvError for a
 * quote that is never closed (the rest of the file would be one cell).
 */
export function parseCsv(input: string, options: { delimiter?: string } = {}): CsvRecord[] {
  const text = input.startsWith(BOM) ? input.slice(1) : input;
  const delimiter = options.delimiter ?? ",";
  const records: CsvRecord[] = [];
  let values: string[] = [];
  let field = "";
  let quoted = false; // inside a quoted field
  let fieldWasQuoted = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  // A delimiter of several characters never matches one character, as below.
  const delimiterCode = delimiter.length === 1 ? delimiter.charCodeAt(0) : -1;

  const endField = () => {
    values.push(field);
    field = "";
    fieldWasQuoted = false;
  };
  const endRecord = () => {
    const blank = values.length === 0 && field === "" && !fieldWasQuoted;
    endField();
    if (!blank) records.push({ line: recordLine, values });
    values = [];
  };

  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      // Up to the next quote at once (a 100,000-row file is parsed in the browser and by the benchmark).
      const close = text.indexOf('"', i);
      if (close < 0) break; // never closed: reported below
      for (let j = i; j < close; j++) {
        const code = text.charCodeAt(j);
        if (code === LF || (code === CR && text.charCodeAt(j + 1) !== LF)) line++;
      }
      field += text.slice(i, close);
      if (text[close + 1] === '"') {
        field += '"';
        i = close + 1;
      } else {
        quoted = false;
        i = close;
      }
      continue;
    }
    if (ch === '"' && field === "") {
      quoted = true;
      fieldWasQuoted = true;
      quoteLine = line;
    } else if (ch === delimiter) {
      endField();
    } else if (ch === "\r" || ch === "\n") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      // A run of plain characters at once. A quote inside an unquoted field is kept as text, as spreadsheets do.
      let end = i + 1;
      while (end < text.length) {
        const code = text.charCodeAt(end);
        if (code === delimiterCode || code === LF || code === CR) break;
        end++;
      }
      field += text.slice(i, end);
      i = end - 1;
    }
  }
  if (quoted) throw new CsvError(`A quoted cell starting on line ${quoteLine} is never closed.`, quoteLine);
  if (field !== "" || values.length > 0 || fieldWasQuoted) endRecord();
  return records;
}

/**
 * A cell starting with = + - @ (or a tab / carriage return) is read as a
 * formula by spreadsheets ("CSV injection"); a leading apostrophe makes it text.
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One cell: text is formula-neutralized and quoted when needed; numbers are written as is. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const safe = neutralizeFormula(value);
  return /[",\r\n;]/.test(safe) || safe !== safe.trim() ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One CSV line (CRLF-terminated, as RFC 4180 and Excel expect). */
export function csvLine(cells: (string | number | boolean | null | undefined)[]): string {
  return cells.map(csvCell).join(",") + "\r\n";
}

/** A whole CSV document; `bom` helps Excel read UTF-8. */
export function serializeCsv(rows: (string | number | boolean | null | undefined)[][], { bom = false } = {}): string {
  return (bom ? BOM : "") + rows.map(csvLine).join("");
}
