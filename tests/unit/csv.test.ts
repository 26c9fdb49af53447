import { describe, expect, it } from "vitest";
import { chunkRows } from "../../components/contacts/import/chunk-rows";
import { csvCell, csvLine, CsvError, detectDelimiter, neutralizeFormula, parseCsv, serializeCsv } from "../../lib/contacts/csv";
import { attributeKeyFor, guessImportColumn, ZImportMapping } from "../../lib/validations/contact-import";

const values = (text: string, options?: { delimiter?: string }) => parseCsv(text, options).map((r) => r.values);

describe("parseCsv", () => {
  it("splits plain rows and numbers each record by its line (header = line 1)", () => {
    expect(parseCsv("email,name\na@x.com,Ada\nb@x.com,Bob\n")).toEqual([
      { line: 1, values: ["email", "name"] },
      { line: 2, values: ["a@x.com", "Ada"] },
      { line: 3, values: ["b@x.com", "Bob"] },
    ]);
  });

  it("reads quoted cells with commas, escaped quotes and empty quoted cells", () => {
    expect(values('a,"b, c","say ""hi""",""\n')).toEqual([["a", "b, c", 'say "hi"', ""]]);
  });

  it("keeps newlines inside quotes, and later records keep their real line numbers", () => {
    const records = parseCsv('email,note\na@x.com,"line one\nline two"\nb@x.com,plain\n');
    expect(records.map((r) => r.values)).toEqual([
      ["email", "note"],
      ["a@x.com", "line one\nline two"],
      ["b@x.com", "plain"],
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it("accepts CRLF, lone CR and a missing final newline", () => {
    expect(values("a,b\r\nc,d\r\n")).toEqual([["a", "b"], ["c", "d"]]);
    expect(values("a,b\rc,d")).toEqual([["a", "b"], ["c", "d"]]);
    expect(values('x,"multi\r\nline"\r\ny,z')).toEqual([["x", "multi\r\nline"], ["y", "z"]]);
  });

  it("strips a UTF-8 BOM so the first header is not '\\uFEFFemail'", () => {
    expect(values("\uFEFFemail,name\na@x.com,Zoë\n")).toEqual([["email", "name"], ["a@x.com", "Zoë"]]);
  });

  it("skips blank lines but keeps their line numbers counted", () => {
    expect(parseCsv("email\n\na@x.com\n\n\nb@x.com\n")).toEqual([
      { line: 1, values: ["email"] },
      { line: 3, values: ["a@x.com"] },
      { line: 6, values: ["b@x.com"] },
    ]);
  });

  it("keeps trailing empty cells and a quote inside an unquoted cell", () => {
    expect(values("a,,\n5\"6,x\n")).toEqual([["a", "", ""], ['5"6', "x"]]);
  });

  it("refuses an unclosed quote, naming the line it starts on", () => {
    expect(() => parseCsv('email\na@x.com\n"oops,\nmore')).toThrowError(CsvError);
    try {
      parseCsv('email\na@x.com\n"oops,\nmore');
    } catch (error) {
      expect((error as CsvError).line).toBe(3);
    }
  });

  it("detects semicolon and tab delimiters from the header", () => {
    expect(detectDelimiter("email;first name;tags\na;b;c")).toBe(";");
    expect(detectDelimiter("email\tname\n")).toBe("\t");
    expect(detectDelimiter('"a;b",c\n')).toBe(",");
    expect(values("email;tags\na@x.com;\"vip;trial\"\n", { delimiter: ";" })).toEqual([["email", "tags"], ["a@x.com", "vip;trial"]]);
  });
});

describe("serializing CSV", () => {
  it("quotes cells with commas, quotes or newlines, and ends lines with CRLF", () => {
    expect(csvLine(["plain", "a,b", 'say "hi"', "two\nlines", null, 42])).toBe('plain,"a,b","say ""hi""","two\nlines",,42\r\n');
  });

  it("round-trips through parseCsv", () => {
    const rows = [["email", "note"], ["a@x.com", 'He said "yes", then\r\nleft'], ["b@x.com", " padded "]];
    expect(values(serializeCsv(rows, { bom: true }))).toEqual(rows);
  });

  it.each(["=HYPERLINK(\"http://evil\")", "+1+2", "-2+3", "@SUM(A1)", "\tcmd", "\r=1"])("neutralizes the formula %j with a leading apostrophe", (cell) => {
    expect(neutralizeFormula(cell)).toBe(`'${cell}`);
    expect(values(csvLine([cell]))[0][0]).toBe(`'${cell}`);
  });

  it("leaves ordinary text and numbers (even negative ones) alone", () => {
    expect(csvCell("ada@example.com")).toBe("ada@example.com");
    expect(csvCell("a-b=c")).toBe("a-b=c");
    expect(csvCell(-5)).toBe("-5");
  });
});

describe("import helpers", () => {
  it("guesses columns from usual header names", () => {
    expect(["E-mail", "First Name", "last_name", "Lead score", "Timezone", "Tags", "created_at", "Company Name"].map(guessImportColumn)).toEqual([
      { target: "email" },
      { target: "firstName" },
      { target: "lastName" },
      { target: "leadScore" },
      { target: "timezone" },
      { target: "tags" },
      { target: "ignore" },
      { target: "attribute", attributeKey: "Company_Name" },
    ]);
    expect(attributeKeyFor("2024 plan")).toBe("_2024_plan");
  });

  it("a mapping needs exactly one email column and unique, valid attribute names", () => {
    expect(ZImportMapping.safeParse([{ target: "firstName" }]).success).toBe(false);
    expect(ZImportMapping.safeParse([{ target: "email" }, { target: "email" }]).success).toBe(false);
    expect(ZImportMapping.safeParse([{ target: "email" }, { target: "attribute", attributeKey: "a" }, { target: "attribute", attributeKey: "a" }]).success).toBe(false);
    expect(ZImportMapping.safeParse([{ target: "email" }, { target: "attribute", attributeKey: "has space" }]).success).toBe(false);
    expect(ZImportMapping.safeParse([{ target: "email" }, { target: "attribute", attributeKey: "plan" }, { target: "ignore" }, { target: "ignore" }]).success).toBe(true);
  });

  it("chunks rows by count and by size", () => {
    const rows = Array.from({ length: 1201 }, (_, i) => ({ line: i + 2, values: [`c${i}@x.com`] }));
    expect(chunkRows(rows, 500).map((c) => c.length)).toEqual([500, 500, 201]);
    const wide = Array.from({ length: 10 }, (_, i) => ({ line: i + 2, values: ["x".repeat(300)] }));
    expect(chunkRows(wide, 500, 1000).map((c) => c.length)).toEqual([3, 3, 3, 1]);
  });
});
