"use client";

import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { CsvRecord } from "@/lib/contacts/csv";
import { attributeKeyFor, IMPORT_TARGET_LABELS, IMPORT_TARGETS, type TImportColumn } from "@/lib/validations/contact-import";

const PREVIEW_ROWS = 5;

export function columnLabel(header: string[], index: number): string {
  return header[index]?.trim() || `Column ${index + 1}`;
}

/** The first rows of the file, as read. */
export function ImportPreview({ header, rows }: { header: string[]; rows: CsvRecord[] }) {
  return (
    <Table aria-label="Preview of the first rows">
      <TableHeader>
        <TableRow>
          <TableHead>Line</TableHead>
          {header.map((_, i) => (
            <TableHead key={i}>{columnLabel(header, i)}</TableHead>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.slice(0, PREVIEW_ROWS).map((row) => (
          <TableRow key={row.line}>
            <TableCell className="text-muted-foreground tabular-nums">{row.line}</TableCell>
            {header.map((_, i) => (
              <TableCell key={i} className="max-w-48 truncate">
                {row.values[i] ?? ""}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** One select per column, labelled by the column's name; custom attributes also get a key. */
export function ColumnMapping({ header, mapping, errors, onChange }: {
  header: string[];
  mapping: TImportColumn[];
  errors: Record<string, string[]>;
  onChange: (mapping: TImportColumn[]) => void;
}) {
  function update(index: number, column: TImportColumn) {
    onChange(mapping.map((c, i) => (i === index ? column : c)));
  }
  return (
    <fieldset className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
      <legend className="mb-2 text-sm font-medium">What is in each column?</legend>
      {header.map((_, index) => {
        const column = mapping[index];
        const label = columnLabel(header, index);
        return (
          <div key={index} className="grid min-w-0 content-start gap-2 rounded-md border p-3 [overflow-wrap:anywhere]">
            <Field label={label} htmlFor={`map-${index}`} error={errors[`${index}.target`]}>
              <NativeSelect
                value={column.target}
                onChange={(e) => {
                  const target = e.target.value as TImportColumn["target"];
                  update(index, target === "attribute" ? { target, attributeKey: column.attributeKey ?? attributeKeyFor(label) } : { target });
                }}
              >
                {IMPORT_TARGETS.map((t) => (
                  <option key={t} value={t}>
                    {IMPORT_TARGET_LABELS[t]}
                  </option>
                ))}
              </NativeSelect>
            </Field>
            {column.target === "attribute" ? (
              <Field label={`Attribute name for ${label}`} htmlFor={`map-key-${index}`} error={errors[`${index}.attributeKey`]} hint={`Use it in emails as {{${column.attributeKey || "name"}}}`}>
                <Input value={column.attributeKey ?? ""} onChange={(e) => update(index, { target: "attribute", attributeKey: e.target.value })} />
              </Field>
            ) : null}
          </div>
        );
      })}
    </fieldset>
  );
}
