import { describe, expect, it } from "vitest";
import { importRowChecker } from "../../lib/contacts/import-check";
import { ZContactInput, type TContactInput } from "../../lib/validations/contact";
import { fieldErrorsOf } from "../../lib/validations/parse";

const manyKeys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));

const inputs: TContactInput[] = [
  { email: "ada@example.com" },
  { email: " Ada@Example.com ", firstName: " Ada ", leadScore: 5, timezone: "Europe/Paris", tags: ["vip", "trial"] },
  { email: "ada@example.com", attributes: { company: "Acme", plan: "pro" } },
  { email: "ada@example.com", attributes: { company: "x".repeat(2000) } },
  { email: "ada@example.com", attributes: { company: "x".repeat(2001) } },
  { email: "ada@example.com", attributes: { " company": "Acme" } },
  { email: "ada@example.com", attributes: { "9lives": "yes" } },
  { email: "ada@example.com", attributes: { email: "other@example.com" } },
  { email: "ada@example.com", attributes: JSON.parse('{"__proto__": "x"}') },
  { email: "ada@example.com", attributes: { constructor: "x" } },
  { email: "ada@example.com", attributes: manyKeys(50) },
  { email: "ada@example.com", attributes: manyKeys(51) },
  { email: "ada@example.com", attributes: { count: 3, flag: true } },
  { email: "not-an-email", attributes: { company: "Acme" } },
  { email: "ada@example.com", timezone: "Mars/Olympus", attributes: { company: "x".repeat(2001) } },
  { email: "ada@example.com", tags: ["t".repeat(51)], attributes: { company: "Acme" } },
];

describe("importRowChecker", () => {
  it("answers exactly as ZContactInput does, data and field errors alike", () => {
    const check = importRowChecker();
    for (let round = 0; round < 2; round++) {
      for (const input of inputs) {
        const expected = ZContactInput.safeParse(input);
        const actual = check(input);
        if (expected.success) expect(actual, JSON.stringify(input)).toEqual({ ok: true, contact: expected.data });
        else expect(actual, JSON.stringify(input)).toEqual({ ok: false, fieldErrors: fieldErrorsOf(expected.error) });
      }
    }
  });
});
