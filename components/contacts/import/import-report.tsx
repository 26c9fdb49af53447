import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ImportResult } from "@/lib/contacts/import";

/** Counts, then every rejected row with its line in the file and why. */
export function ImportReport({ result }: { result: ImportResult }) {
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
                <TableCell>{f.reason}</TableCell>
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
