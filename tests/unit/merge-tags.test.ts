import { describe, expect, it } from "vitest";
import { applyMergeTags, keysWithoutFallback, mergeTagProblems, parseMergeTags } from "../../lib/email/merge-tags";

const contact = { email: "ada@example.com", firstName: "Ada", lastName: null, attributes: { Company: "Perlman Labs", seats: 3, empty: " " } };

describe("merge tags", () => {
  it("match keys whatever their case, for built-in fields and attributes", () => {
    expect(applyMergeTags("{{firstname}} {{FIRSTNAME}} {{company}} {{COMPANY}} {{Seats}} {{EMAIL}}", contact)).toBe("Ada Ada Perlman Labs Perlman Labs 3 ada@example.com");
  });
  it("take the first non-empty value when an unmigrated contact has two spellings of a key", () => {
    expect(applyMergeTags("{{company}}", { ...contact, attributes: { company: "", Company: "Acme" } })).toBe("Acme");
  });
  it("use the fallback for an empty value, and parse it trimmed", () => {
    expect(applyMergeTags("{{ lastName | friend }} {{empty|none}} {{empty}}.", contact)).toBe("friend none .");
  });
  it("parse keys, fallbacks and malformed tags", () => {
    expect(parseMergeTags("{{ a }} {{b|x y}} {{c|}} {{1x}} {{a b}}")).toEqual([
      { raw: "{{ a }}", key: "a", fallback: null, valid: true },
      { raw: "{{b|x y}}", key: "b", fallback: "x y", valid: true },
      { raw: "{{c|}}", key: "c", fallback: "", valid: true },
      { raw: "{{1x}}", key: "1x", fallback: null, valid: false },
      { raw: "{{a b}}", key: "a b", fallback: null, valid: false },
    ]);
  });
});

describe("mergeTagProblems", () => {
  it("reports unknown keys and malformed tags once each, and accepts known keys in any case", () => {
    const problems = mergeTagProblems("{{plan}} {{plan}} {{FirstName}} {{COMPANY}} {{company|x}} {{a b}} {{firstname|there}}", ["Company"]);
    expect(problems.map((p) => p.tag)).toEqual(["{{plan}}", "{{a b}}"]);
    expect(problems[0].message).toBe('{{plan}}: no contact has an attribute "plan". Pick a tag from the list.');
  });
  it("finds nothing wrong in text without tags", () => {
    expect(mergeTagProblems("Hello { world } {{", [])).toEqual([]);
  });
});

describe("keysWithoutFallback", () => {
  it("lists each key used without a fallback once, in its first spelling", () => {
    expect(keysWithoutFallback("{{company}} {{Company}} {{plan|free}} {{firstName|}} {{a b}}")).toEqual(["company", "firstName"]);
  });
});
