import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "../../lib/validations/parse";
import { ZAddTrigger } from "../../lib/validations/sequence";

const sequenceId = "0b9c6d52-3f4e-4a1b-9c2d-7e8f9a0b1c2d";

function tagErrors(trigger: Record<string, unknown>): string[] | undefined {
  const parsed = ZAddTrigger.safeParse({ sequenceId, trigger: { type: "tag_added", ...trigger } });
  return parsed.success ? undefined : fieldErrorsOf(parsed.error)["trigger.tagName"];
}

describe("a tag_added trigger without a tag", () => {
  it("says so once for an empty or blank name", () => {
    expect(tagErrors({ tagName: "" })).toEqual(["Pick or type a tag"]);
    expect(tagErrors({ tagName: "   " })).toEqual(["Pick or type a tag"]);
  });

  it("says so once when neither a tag nor a name is given", () => {
    expect(tagErrors({})).toEqual(["Pick or type a tag"]);
  });

  it("accepts a typed name", () => {
    expect(ZAddTrigger.safeParse({ sequenceId, trigger: { type: "tag_added", tagName: "trial" } }).success).toBe(true);
  });
});
