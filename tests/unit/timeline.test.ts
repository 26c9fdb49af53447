import { describe, expect, it } from "vitest";
import { describeTimelineEvent } from "../../lib/contacts/timeline";

describe("timeline sentences", () => {
  const base = { data: null, sequenceName: "Trial onboarding", trigger: null } as const;

  it("show a sent step with the subject as sent, merge tags filled in", () => {
    const event = { ...base, type: "step_sent" as const, reason: "Welcome to Acme, Ada", step: { number: 1, subject: "Welcome to Acme, {{firstName}}" } };
    expect(describeTimelineEvent(event as Parameters<typeof describeTimelineEvent>[0]).sentence).toBe("Step 1 'Welcome to Acme, Ada' sent");
  });

  it("fall back to the template subject when the log has none", () => {
    const event = { ...base, type: "step_sent" as const, reason: null, step: { number: 2, subject: "Tips" } };
    expect(describeTimelineEvent(event as Parameters<typeof describeTimelineEvent>[0]).sentence).toBe("Step 2 'Tips' sent");
  });

  it("say plainly that a send abandoned mid-way may or may not have arrived, and is not sent again", () => {
    const event = { ...base, type: "step_failed" as const, reason: "outcome_unknown", step: { number: 1, subject: "Welcome" } };
    const { sentence, tone } = describeTimelineEvent(event as Parameters<typeof describeTimelineEvent>[0]);
    expect(sentence).toBe("Step 1 'Welcome' failed: the app stopped while sending it, so whether it arrived is unknown (it is not sent again)");
    expect(tone).toBe("danger");
  });
});

describe("a step held by a paused sequence", () => {
  const base = { data: null, sequenceName: "Trial onboarding", trigger: null } as const;

  it("reads as held, not skipped, and is not a warning", () => {
    const event = { ...base, type: "step_skipped" as const, reason: "sequence_paused", step: { number: 3, subject: "Tips" } };
    const { sentence, tone } = describeTimelineEvent(event as Parameters<typeof describeTimelineEvent>[0]);
    expect(sentence).toBe("Step 3 held: sequence paused (it is sent when the sequence resumes)");
    expect(sentence).not.toMatch(/skipped/);
    expect(tone).toBe("neutral");
  });

  it("leaves real skips as skips", () => {
    const event = { ...base, type: "step_skipped" as const, reason: "step_deleted", step: { number: 3, subject: "Tips" } };
    expect(describeTimelineEvent(event as Parameters<typeof describeTimelineEvent>[0]).sentence).toBe("Step 3 skipped: the step was deleted");
  });

  it("says why a step is held by an out-of-office reply, not by the schedule", () => {
    const event = { ...base, type: "step_held" as const, reason: "auto_reply", data: { dueAt: "2026-12-10T10:00:00.000Z" }, step: { number: 2, subject: "Tips" } };
    const described = describeTimelineEvent(event as Parameters<typeof describeTimelineEvent>[0]);
    expect(described.sentence).toBe("Step 2 'Tips' held: the contact sent an out-of-office reply");
    expect(described.detail).toBe("Not before 2026-12-10T10:00:00.000Z");
  });
});
