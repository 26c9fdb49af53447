import { describe, expect, it } from "vitest";
import { parseCsv } from "../../lib/contacts/csv";
import { failedRowsCsv, planImport } from "../../lib/contacts/import-plan";
import { guessImportColumn, type TImportMapping } from "../../lib/validations/contact-import";

function file(text: string) {
  const [header, ...rows] = parseCsv(text);
  return { header: header.values, mapping: header.values.map(guessImportColumn) as TImportMapping, rows };
}

describe("the plan shown before an import", () => {
  it("counts new rows, updates of stored contacts and duplicates of an earlier line, and says which", () => {
    const { mapping, rows } = file("email,first_name\nnew@example.com,New\nAda@Example.com,Ada\n ada@example.com ,Again\n,Nobody\ngone@example.com,Gone\n");
    const summary = planImport(rows, mapping, { existing: new Set(["ada@example.com"]), deleted: new Set(["gone@example.com"]) });
    expect(summary).toMatchObject({ new: 1, update: 1, duplicate: 1, noEmail: 1, deleted: 1 });
    expect(summary.rows).toEqual([
      { line: 2, kind: "new", email: "new@example.com" },
      { line: 3, kind: "update", email: "ada@example.com" },
      { line: 4, kind: "duplicate", email: "ada@example.com", firstLine: 3 },
      { line: 5, kind: "no_email" },
      { line: 6, kind: "deleted", email: "gone@example.com" },
    ]);
  });
});

describe("the failed rows download", () => {
  it("has the file's header plus an error column, and each failed row as the file had it", () => {
    const { header, rows } = file('email,first_name,company\nok@example.com,Ok,Acme\nbad,Bad,"Acme, Inc."\n');
    const csv = failedRowsCsv(header, rows, [{ line: 3, reason: 'Email "bad": Enter a valid email address' }]);
    expect(parseCsv(csv).map((r) => r.values)).toEqual([
      ["email", "first_name", "company", "error"],
      ["bad", "Bad", "Acme, Inc.", 'Email "bad": Enter a valid email address'],
    ]);
    // Re-importing the fixed file leaves the error column out by default.
    expect(guessImportColumn("error")).toEqual({ target: "ignore" });
  });
});
