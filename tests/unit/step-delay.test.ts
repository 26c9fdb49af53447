import { describe, expect, it } from "vitest";
import { ZAddStep, ZStepInput } from "../../lib/validations/sequence";

const step = (delayAmount: unknown, delayUnit = "hours") => ({ subject: "Hi", body: "Body", delayAmount, delayUnit });
const delayErrors = (input: unknown) => {
  const parsed = ZStepInput.safeParse(input);
  return parsed.success ? null : parsed.error.issues.filter((i) => i.path[0] === "delayAmount").map((i) => i.message);
};

describe("the step delay (one schema for the builder's form and its actions)", () => {
  it.each(["1e3", "1.5", "0x10", "+2", "-1", "1 000", "١٢", "Infinity", "NaN"])("refuses %j: digits only", (text) => {
    expect(delayErrors(step(text))).toEqual(["Digits only: a whole number such as 3"]);
  });

  it("asks for a number when the field is empty", () => {
    expect(delayErrors(step("  "))).toEqual(["Enter a number"]);
    expect(delayErrors(step(null))).toEqual(["Enter a number"]);
  });

  it("reads the field's digits as a number", () => {
    expect(ZStepInput.parse(step(" 12 ")).delayAmount).toBe(12);
    expect(ZStepInput.parse(step("0", "minutes")).delayAmount).toBe(0);
  });

  it("keeps the per-unit bounds for typed text and numbers alike", () => {
    expect(delayErrors(step("366", "days"))).toEqual(["Delay must be between 0 and 365 days"]);
    expect(delayErrors(step(8761, "hours"))).toEqual(["Delay must be between 0 and 8,760 hours"]);
    expect(delayErrors(step("8760", "hours"))).toBeNull();
    expect(delayErrors(step(1.5))).toEqual(["Whole numbers only"]);
  });

  it("the action's schema refuses the same text", () => {
    const parsed = ZAddStep.safeParse({ sequenceId: "00000000-0000-4000-8000-000000000000", ...step("1e3") });
    expect(parsed.success).toBe(false);
  });
});
