"use client";

import { useState } from "react";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { CsvError, detectDelimiter, parseCsv, type CsvRecord } from "@/lib/contacts/csv";
import { IMPORT_MAX_FILE_BYTES } from "@/lib/validations/contact-import";

export type ParsedFile = { name: string; header: string[]; rows: CsvRecord[] };

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Reads and parses the CSV in the browser: the file itself is never uploaded, only its rows in chunks. */
export function FilePicker({ onParsed }: { onParsed: (file: ParsedFile) => void }) {
  const [error, setError] = useState<string | undefined>();
  const [reading, setReading] = useState(false);

  async function handle(file: File | undefined) {
    setError(undefined);
    if (!file) return;
    if (file.size > IMPORT_MAX_FILE_BYTES) {
      setError(`This file is ${megabytes(file.size)}; the limit is ${megabytes(IMPORT_MAX_FILE_BYTES)}. Split it into smaller files and import them one by one.`);
      return;
    }
    setReading(true);
    try {
      const text = await file.text();
      const records = parseCsv(text, { delimiter: detectDelimiter(text) });
      if (records.length < 2) {
        setError("The file needs a header row and at least one contact row.");
        return;
      }
      onParsed({ name: file.name, header: records[0].values, rows: records.slice(1) });
    } catch (err) {
      setError(err instanceof CsvError ? `This file is not valid CSV: ${err.message}` : "The file could not be read. Is it a CSV text file?");
    } finally {
      setReading(false);
    }
  }

  return (
    <div className="grid max-w-md gap-2">
      <Field label="CSV file" htmlFor="import-file" error={error} hint="A header row first, one contact per row. Up to 20 MB.">
        <Input type="file" accept=".csv,text/csv" disabled={reading} onChange={(e) => handle(e.target.files?.[0])} />
      </Field>
      {reading ? <Spinner label="Reading the file…" /> : null}
    </div>
  );
}
