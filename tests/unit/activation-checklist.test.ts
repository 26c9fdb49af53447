import { describe, expect, it } from "vitest";
import { activationChecklist } from "../../lib/sequences/activation-checklist";

const done = (checks: ReturnType<typeof activationChecklist>) => Object.fromEntries(checks.map((c) => [c.id, c.done]));

describe("what activating a draft needs", () => {
  it("an empty draft lacks everything", () => {
    expect(done(activationChecklist({ steps: [], hasTriggers: false, manualOnly: false }))).toEqual({ steps: false, content: false, entry: false });
  });

  it("names the steps that lack a subject or body", () => {
    const checks = activationChecklist({ steps: [{ subject: "Hi", body: "x" }, { subject: " ", body: "" }], hasTriggers: true, manualOnly: false });
    expect(done(checks)).toEqual({ steps: true, content: false, entry: true });
    expect(checks.find((c) => c.id === "content")?.detail).toBe("Step 2 needs a subject and a body.");
  });

  it("manual enrollment only stands in for a trigger", () => {
    expect(done(activationChecklist({ steps: [{ subject: "Hi", body: "x" }], hasTriggers: false, manualOnly: true }))).toEqual({ steps: true, content: true, entry: true });
  });
});
