/**
 * No regular expression in the app can stall the server: every regex
 * literal (and `new RegExp("...")` with a literal) in lib/ and app/ is found
 * with the TypeScript scanner and checked by recheck; a new pattern joins
 * the check by being written.
 */
import fs from "node:fs";
import path from "node:path";
import { checkSync } from "recheck";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { applyMergeTags, renderStepMessage } from "../../lib/email/render";

const ROOTS = ["lib", "app"];
const SKIP = /(^|\/)generated\//;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (SKIP.test(full)) return [];
    return entry.isDirectory() ? sourceFiles(full) : /\.(ts|tsx|mjs)$/.test(entry.name) && !entry.name.endsWith(".d.mts") ? [full] : [];
  });
}

type Found = { file: string; source: string; flags: string };

function regexesIn(file: string): Found[] {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const found: Found[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isRegularExpressionLiteral(node)) {
      const text = node.text;
      const end = text.lastIndexOf("/");
      found.push({ file, source: text.slice(1, end), flags: text.slice(end + 1) });
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "RegExp") {
      const [pattern, flags] = node.arguments ?? [];
      if (!pattern || !ts.isStringLiteralLike(pattern)) throw new Error(`${file}: new RegExp with a computed pattern cannot be checked`);
      found.push({ file, source: pattern.text, flags: flags && ts.isStringLiteralLike(flags) ? flags.text : "" });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

const all = ROOTS.flatMap(sourceFiles).flatMap(regexesIn);

describe("regular expressions in lib/ and app/", () => {
  it("are found (the scan works)", () => {
    expect(all.length).toBeGreaterThan(20);
    expect(all.some((r) => r.file.endsWith(path.join("email", "render.ts")))).toBe(true);
  });

  it("are all safe from catastrophic backtracking (recheck)", { timeout: 120_000 }, () => {
    const unsafe = all
      .map((r) => ({ ...r, result: checkSync(r.source, r.flags, { timeout: 10_000 }) }))
      .filter((r) => r.result.status !== "safe")
      .map((r) => `${r.file}: /${r.source}/${r.flags} -> ${r.result.status}${r.result.status === "vulnerable" ? ` (${r.result.complexity.summary})` : ""}`);
    expect(unsafe).toEqual([]);
  });

  it("recheck does flag the old merge-tag pattern (the checker is live)", () => {
    expect(checkSync(String.raw`\{\{\s*([a-zA-Z_][\w.]*)\s*(?:\|\s*([^}]*?)\s*)?\}\}`, "g").status).toBe("vulnerable");
  });
});

describe("merge tags on hostile template text", () => {
  const contact = { email: "ada@example.com", firstName: "Ada", lastName: null, attributes: {} };
  const hostile = [
    "{{a|" + " ".repeat(20_000),
    "{{" + " ".repeat(19_990) + "a",
    "{{a".repeat(6_666),
    "{{a|{{".repeat(3_333),
    "{{ a | " + "\t ".repeat(9_990),
  ];
  it.each(hostile.map((t, i) => [i, t]))("renders hostile text #%i (20,000 characters) within 200 ms", (_i, template) => {
    const started = performance.now();
    renderStepMessage({ subject: template.slice(0, 500), body: template, contact, unsubscribeUrl: "https://x/u", oneClickUrl: "https://x/o", postalAddress: "1 St", senderName: "Acme" });
    expect(performance.now() - started).toBeLessThan(200);
  });

  it("still merges tags with spaces and fallbacks, and leaves non-tags alone", () => {
    expect(applyMergeTags("{{ firstName | there }} {{nope|x}} {{ 1bad }} {{a b}}", contact)).toBe("Ada x {{ 1bad }} {{a b}}");
  });
});
