"use client";

import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toast";
import { importContactsAction } from "@/lib/actions/contacts/import-contacts-action";
import type { ImportResult } from "@/lib/contacts/import";
import { duplicateLines, duplicateReason, importRowEmail } from "@/lib/contacts/import-plan";
import { guessImportColumn, IMPORT_CHUNK_ROWS, ZImportMapping, type TImportColumn } from "@/lib/validations/contact-import";
import { fieldErrorsOf } from "@/lib/validations/parse";
import { chunkRows } from "./chunk-rows";
import { ColumnMapping, ImportPreview } from "./column-mapping";
import { FilePicker, type ParsedFile } from "./file-picker";
import { ImportProgress } from "./import-progress";
import { ImportReport } from "./import-report";
import { ImportSummary } from "./import-summary";

type Run = { done: number; total: number; result: ImportResult; running: boolean; error?: string; nextChunk: number };

const EMPTY_RESULT: ImportResult = { imported: 0, updated: 0, failed: [] };

/** Choose a file, map its columns, import it in chunks with progress, then read the report. */
export function ImportWizard() {
  const [file, setFile] = useState<ParsedFile | null>(null);
  const [mapping, setMapping] = useState<TImportColumn[]>([]);
  const [mappingErrors, setMappingErrors] = useState<Record<string, string[]>>({});
  const [fireTriggers, setFireTriggers] = useState(false);
  const [onlyFillEmpty, setOnlyFillEmpty] = useState(false);
  const [extraTag, setExtraTag] = useState("");
  const [run, setRun] = useState<Run | null>(null);

  function reset() {
    setFile(null);
    setMapping([]);
    setMappingErrors({});
    setRun(null);
  }

  async function importFrom(startChunk: number, previous: Run | null) {
    if (!file) return;
    const parsed = ZImportMapping.safeParse(mapping);
    if (!parsed.success) {
      setMappingErrors(fieldErrorsOf(parsed.error));
      toast({ title: "Check the column choices", description: parsed.error.issues[0]?.message, variant: "destructive" });
      return;
    }
    setMappingErrors({});
    // A later line with an earlier line's email is not sent: the first one wins, whichever chunk each is in.
    const duplicates = duplicateLines(file.rows, parsed.data);
    const duplicateFailures = file.rows.flatMap((row) => {
      const firstLine = duplicates.get(row.line);
      return firstLine === undefined ? [] : [{ line: row.line, reason: duplicateReason(importRowEmail(row, parsed.data), firstLine) }];
    });
    const chunks = chunkRows(file.rows.filter((row) => !duplicates.has(row.line)), IMPORT_CHUNK_ROWS);
    const total = file.rows.length;
    const start: Run = { done: duplicateFailures.length, total, result: { ...EMPTY_RESULT, failed: duplicateFailures }, running: true, nextChunk: 0 };
    let state: Run = previous ?? start;
    state = { ...state, running: true, error: undefined };
    setRun(state);

    for (let index = startChunk; index < chunks.length; index++) {
      const chunk = chunks[index];
      const response = await importContactsAction({
        rows: chunk,
        mapping: parsed.data,
        fireTriggers,
        onlyFillEmpty,
        tagNames: extraTag.trim() ? [extraTag.trim()] : undefined,
      });
      if (!response.ok) {
        state = { ...state, running: false, nextChunk: index, error: response.message };
        setRun(state);
        toast({ title: "The import stopped", description: response.message, variant: "destructive" });
        return;
      }
      const r = response.data;
      state = {
        ...state,
        done: state.done + chunk.length,
        nextChunk: index + 1,
        result: {
          imported: state.result.imported + r.imported,
          updated: state.result.updated + r.updated,
          failed: [...state.result.failed, ...r.failed].sort((a, b) => a.line - b.line),
        },
      };
      setRun(state);
    }
    setRun({ ...state, running: false });
    toast({ title: `Import finished: ${state.result.imported} new, ${state.result.updated} updated, ${state.result.failed.length} with errors`, variant: "success" });
  }

  if (!file) {
    return (
      <FilePicker
        onParsed={(parsed) => {
          setFile(parsed);
          setMapping(parsed.header.map(guessImportColumn));
        }}
      />
    );
  }

  if (run) {
    const finished = !run.running && !run.error;
    return (
      <div className="grid gap-6">
        <ImportProgress done={run.done} total={run.total} />
        {run.error ? (
          <div role="alert" className="grid gap-2 rounded-md border border-destructive p-4 text-sm">
            <p>
              The import stopped after {run.done.toLocaleString("en")} rows: {run.error}
            </p>
            <div>
              <Button type="button" variant="outline" onClick={() => importFrom(run.nextChunk, run)}>
                Import the remaining rows
              </Button>
            </div>
          </div>
        ) : null}
        {run.running ? <p className="text-sm text-muted-foreground">Importing… keep this page open.</p> : <ImportReport result={run.result} header={file.header} rows={file.rows} fileName={file.name} />}
        {finished ? (
          <div className="flex gap-2">
            <Button asChild>
              <Link href="/contacts">View contacts</Link>
            </Button>
            <Button type="button" variant="outline" onClick={reset}>
              Import another file
            </Button>
          </div>
        ) : null}
      </div>
    );
  }

  return (
    <form
      className="grid gap-6"
      onSubmit={(e) => {
        e.preventDefault();
        void importFrom(0, null);
      }}
    >
      <p className="text-sm">
        <span className="font-medium">{file.name}</span>: {file.rows.length.toLocaleString("en")} rows.{" "}
        <Button type="button" variant="link" className="h-auto p-0" onClick={reset}>
          Choose another file
        </Button>
      </p>
      <ImportPreview header={file.header} rows={file.rows} />
      <ColumnMapping header={file.header} mapping={mapping} errors={mappingErrors} onChange={setMapping} />
      {mappingErrors._ ? (
        <p role="alert" className="text-sm font-medium text-destructive">
          {mappingErrors._.join(" ")}
        </p>
      ) : null}
      <ImportSummary rows={file.rows} mapping={mapping} />
      <div className="grid max-w-md gap-4">
        <div className="flex items-start gap-2">
          <input id="import-only-fill-empty" type="checkbox" className="mt-0.5 size-4" checked={onlyFillEmpty} onChange={(e) => setOnlyFillEmpty(e.target.checked)} aria-describedby="import-only-fill-empty-hint" />
          <div className="grid gap-1">
            <label htmlFor="import-only-fill-empty" className="text-sm font-medium">
              Only fill empty fields
            </label>
            <p id="import-only-fill-empty-hint" className="text-sm text-muted-foreground">
              Existing contacts keep every value they have: only an empty first or last name and attributes they lack are filled (their time zone and lead score are kept; tags are still added). Off: the file&rsquo;s non-empty cells replace stored values.
            </p>
          </div>
        </div>
        <Field label="Also tag every imported contact (optional)" htmlFor="import-extra-tag" hint="For example the event or list this file comes from.">
          <Input value={extraTag} onChange={(e) => setExtraTag(e.target.value)} maxLength={100} />
        </Field>
        <div className="flex items-start gap-2">
          <input id="import-fire-triggers" type="checkbox" className="mt-0.5 size-4" checked={fireTriggers} onChange={(e) => setFireTriggers(e.target.checked)} aria-describedby="import-fire-triggers-hint" />
          <div className="grid gap-1">
            <label htmlFor="import-fire-triggers" className="text-sm font-medium">
              Fire entry triggers
            </label>
            <p id="import-fire-triggers-hint" className="text-sm text-muted-foreground">
              When on, tags and lead scores in the file enroll contacts in sequences whose triggers match. Leave off to load contacts quietly.
            </p>
          </div>
        </div>
      </div>
      <div>
        <Button type="submit">Import {file.rows.length.toLocaleString("en")} rows</Button>
      </div>
    </form>
  );
}
