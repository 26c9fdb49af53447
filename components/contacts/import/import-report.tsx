"use client";

import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { CsvRecord } from "@/lib/contacts/csv";
import type { ImportResult } from "@/lib/contacts/import";
import { failedRowsCsv } from "@/lib/contacts/import-plan";

/** Saves the rows that were not imported, as the file had them plus an "error" column, to fix and import again. */
function downloadFailedRows(fileName: string, header: string[], rows: CsvRecord[], failed: ImportResult["failed"]) {
  const url = URL.createObjectURL(new Blob([failedRowsCsv(header, rows, failed)], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = `${fileName.replace(/\.csv$/i, "")}-not-imported.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Counts, then every rejected row with its line in the file, why and the value, downloadable as a CSV. */
export function ImportReport({ result, header, rows, fileName }: { result: ImportResult; header: string[]; rows: CsvRecord[]; fileName: string }) {
  return (
    <section aria-labelledby="import-report-heading" className="grid gap-4">
      <h2 id="import-report-heading" className="text-lg font-semibold">
        Import report
      </h2>
      <dl className="grid grid-cols-3 gap-4 sm:max-w-lg">
        {[
          ["New contacts", result.imported],
          ["Updated", result.updated],
          ["Rows with errors", result.failed.length],
        ].map(([label, value]) => (
          <div key={label} className="rounded-md border p-3">
            <dt className="text-sm text-muted-foreground">{label}</dt>
            <dd className="text-2xl font-semibold tabular-nums">{value.toLocaleString("en")}</dd>
          </div>
        ))}
      </dl>
      {result.failed.length > 0 ? (
        <div>
          <Button type="button" variant="outline" onClick={() => downloadFailedRows(fileName, header, rows, result.failed)}>
            Download the rows not imported (CSV)
          </Button>
        </div>
      ) : null}
      {result.failed.length > 0 ? (
        <Table aria-label="Rows that were not imported">
          <TableHeader>
            <TableRow>
              <TableHead className="w-24">Line</TableHead>
              <TableHead>Reason</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {result.failed.map((f) => (
              <TableRow key={f.line}>
                <TableCell className="tabular-nums">{f.line}</TableCell>
                <TableCell className="[overflow-wrap:anywhere]">{f.reason}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : (
        <p className="text-sm text-muted-foreground">Every row was imported.</p>
      )}
    </section>
  );
}
