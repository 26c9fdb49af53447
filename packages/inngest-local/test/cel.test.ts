/**
 * The local executor's CEL with the real server's null semantics (D7):
 * pkg/expressions/unknown.go treats a missing key as null instead of failing.
 */
import { describe, expect, it } from "vitest";
import { celKeyString, celMatches, evaluateCel } from "../src/cel";

const event = { data: { id: "c1", n: 3, nothing: null, list: ["a"] } };
const value = (expression: string, vars: Record<string, unknown> = { event, async: { data: {} } }) => {
  const outcome = evaluateCel(expression, vars);
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.value;
};

describe("CEL with a missing key (D7)", () => {
  it.each([
    ["async.data.missing == null", true],
    ["null == async.data.missing", true],
    ["async.data.missing == 'c1'", false],
    ["async.data.missing == event.data.id", false],
    ["event.data.id == async.data.missing", false],
    ["async.data.missing != 'c1'", true],
    ["async.data.missing != null", false],
    ["async.data.missing < 5", true],
    ["async.data.missing > 5", false],
    ["5 > async.data.missing", true],
    ["size(async.data.missing) == 0", true],
    ["async.data.missing.deeper == null", true],
    ["!(async.data.missing == 'x')", true],
    ["async.data.missing || event.data.n == 3", true],
    ["async.data.missing && true", false],
    ["event.data.id == 'c1' && (async.data.missing == null || async.data.missing == event.data.id)", true],
    ["async.data.missing", false],
  ])("%s is %s", (expression, expected) => {
    expect(value(expression)).toBe(expected);
  });

  it("compares a present null with a value as unequal, not as an error", () => {
    expect(value("event.data.nothing == 'x'")).toBe(false);
    expect(value("event.data.nothing != 'x'")).toBe(true);
    expect(value("event.data.nothing == null")).toBe(true);
  });

  it("leaves expressions without missing keys to cel-js", () => {
    expect(value("event.data.id == 'c1' && event.data.n > 2")).toBe(true);
    expect(value("'a' in event.data.list")).toBe(true);
  });

  it("a cancel rule reading a key its event lacks: no throw, the comparison decides", () => {
    const logs: string[] = [];
    const vars = { event, async: { data: {} } };
    expect(celMatches("event.data.id == async.data.id", vars, (m) => logs.push(m))).toBe(false);
    expect(celMatches("async.data.id == null", vars, (m) => logs.push(m))).toBe(true);
    expect(logs).toEqual([]);
  });

  it("formats key values as the server's %v: a missing key is 'false', a failing one '<nil>'", () => {
    expect(celKeyString("event.data.id", { event })).toBe("c1");
    expect(celKeyString("event.data.n", { event })).toBe("3");
    expect(celKeyString("event.data.missing", { event })).toBe("false");
    expect(celKeyString("event.data.(", { event })).toBe("<nil>");
  });
});
