"use client";

import { useEffect, useState } from "react";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { previewImportAction } from "@/lib/actions/contacts/preview-import-action";
import type { CsvRecord } from "@/lib/contacts/csv";
import { importRowEmail, planImport, type ImportRowPlan } from "@/lib/contacts/import-plan";
import { IMPORT_PREVIEW_EMAILS, type TImportColumn } from "@/lib/validations/contact-import";

/** Rows listed per kind; the counts cover them all. */
const LISTED = 50;

type Stored = { existing: Set<string>; deleted: Set<string> };
type Lookup = { key: string; stored: Stored } | { key: string; error: string };

/** Asks the server which of the file's emails are stored contacts, in request-sized chunks. */
async function lookUp(emails: string[]): Promise<Stored | string> {
  const stored: Stored = { existing: new Set(), deleted: new Set() };
  for (let i = 0; i < emails.length; i += IMPORT_PREVIEW_EMAILS) {
    const response = await previewImportAction({ emails: emails.slice(i, i + IMPORT_PREVIEW_EMAILS) });
    if (!response.ok) return response.message;
    response.data.existing.forEach((e) => stored.existing.add(e));
    response.data.deleted.forEach((e) => stored.deleted.add(e));
  }
  return stored;
}

function describe(plan: ImportRowPlan): string {
  switch (plan.kind) {
    case "update":
      return `${plan.email}: updates the existing contact`;
    case "deleted":
      return `${plan.email}: a deleted contact (not imported)`;
    case "duplicate":
      return `${plan.email}: duplicate of line ${plan.firstLine} (not imported)`;
    case "no_email":
      return "No email (not imported)";
    case "new":
      return `${plan.email}: new contact`;
  }
}

/** Before importing: how many rows are new, update an existing contact, or repeat an earlier line; and which. */
export function ImportSummary({ rows, mapping }: { rows: CsvRecord[]; mapping: TImportColumn[] }) {
  const emailColumn = mapping.findIndex((c) => c.target === "email");
  const key = `${emailColumn}:${rows.length}`;
  const [lookup, setLookup] = useState<Lookup | null>(null);

  useEffect(() => {
    if (emailColumn < 0) return;
    let current = true;
    const emails = [...new Set(rows.map((r) => importRowEmail(r, mapping)).filter(Boolean))];
    void lookUp(emails).then((result) => {
      if (current) setLookup(typeof result === "string" ? { key, error: result } : { key, stored: result });
    });
    return () => {
      current = false;
    };
    // Only the email column matters: other mapping changes do not change who exists.
  }, [key]);

  if (emailColumn < 0) return null;
  const ready = lookup && lookup.key === key ? lookup : null;
  if (!ready) return <p className="text-sm text-muted-foreground">Checking which contacts exist already…</p>;
  if ("error" in ready) return <p role="alert" className="text-sm text-destructive">Could not check which contacts exist already: {ready.error}</p>;

  const summary = planImport(rows, mapping, ready.stored);
  const notable = summary.rows.filter((r) => r.kind !== "new");
  const counts: [string, number, string][] = [
    ["New contacts", summary.new, "new"],
    ["Update existing contacts", summary.update, "update"],
    ["Duplicates of an earlier line", summary.duplicate, "duplicate"],
    ...(summary.deleted ? ([["Deleted contacts", summary.deleted, "deleted"]] as [string, number, string][]) : []),
    ...(summary.noEmail ? ([["Without an email", summary.noEmail, "no_email"]] as [string, number, string][]) : []),
  ];
  return (
    <section aria-labelledby="import-summary-heading" className="grid gap-3">
      <h2 id="import-summary-heading" className="text-lg font-semibold">
        Before importing
      </h2>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5">
        {counts.map(([label, value, kind]) => (
          <div key={kind} className="rounded-md border p-3" data-summary={kind}>
            <dt className="text-sm text-muted-foreground">{label}</dt>
            <dd className="text-2xl font-semibold tabular-nums">{value.toLocaleString("en")}</dd>
          </div>
        ))}
      </dl>
      {notable.length > 0 ? (
        <Table aria-label="Rows that update or are not imported">
          <TableHeader>
            <TableRow>
              <TableHead className="w-24">Line</TableHead>
              <TableHead>What happens</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {notable.slice(0, LISTED).map((plan) => (
              <TableRow key={plan.line} data-plan={plan.kind}>
                <TableCell className="tabular-nums">{plan.line}</TableCell>
                <TableCell className="[overflow-wrap:anywhere]">{describe(plan)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
      {notable.length > LISTED ? <p className="text-sm text-muted-foreground">…and {(notable.length - LISTED).toLocaleString("en")} more.</p> : null}
    </section>
  );
}
