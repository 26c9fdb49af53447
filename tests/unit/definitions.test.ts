import { describe, expect, it } from "vitest";
import { EXIT_REASON_DEFINITIONS, EXIT_REASONS, isExitReason } from "../../lib/sequences/exit-reasons";
import { reentryDecision } from "../../lib/sequences/reentry";
import { crossesScoreThreshold, signupMatches, TRIGGER_TYPES, ZTriggerInput, ZEnrollmentSource } from "../../lib/sequences/triggers";
import { describeDelay, delayMs } from "../../lib/sequences/schedule";

describe("exit reasons", () => {
  it("are the five product exits plus bounced, each with a definition", () => {
    expect(EXIT_REASONS.sort()).toEqual(["bounced", "completed", "contact_deleted", "opted_out", "removed", "replied"]);
    for (const reason of EXIT_REASONS) expect(EXIT_REASON_DEFINITIONS[reason].label).toBeTruthy();
  });
  it("map each exit to the event that cancels runs (none for completed)", () => {
    expect(EXIT_REASON_DEFINITIONS.opted_out.cancelEvent).toBe("contact.opted_out");
    expect(EXIT_REASON_DEFINITIONS.replied.cancelEvent).toBe("contact.replied");
    expect(EXIT_REASON_DEFINITIONS.removed.cancelEvent).toBe("contact.removed");
    expect(EXIT_REASON_DEFINITIONS.contact_deleted.cancelEvent).toBe("contact.removed");
    expect(EXIT_REASON_DEFINITIONS.completed.cancelEvent).toBeNull();
  });
  it("recognise only known reasons", () => {
    expect(isExitReason("opted_out")).toBe(true);
    expect(isExitReason("unsubscribed")).toBe(false);
    expect(isExitReason(undefined)).toBe(false);
  });
});

describe("entry triggers", () => {
  it("are tag_added, score_threshold and signup", () => {
    expect(TRIGGER_TYPES.sort()).toEqual(["score_threshold", "signup", "tag_added"]);
  });
  it("validate their parameters", () => {
    expect(ZTriggerInput.safeParse({ type: "tag_added", tagId: "t1" }).success).toBe(true);
    expect(ZTriggerInput.safeParse({ type: "tag_added" }).success).toBe(false);
    expect(ZTriggerInput.safeParse({ type: "score_threshold", scoreThreshold: 50 }).success).toBe(true);
    expect(ZTriggerInput.safeParse({ type: "score_threshold", scoreThreshold: 0 }).success).toBe(false);
    expect(ZTriggerInput.safeParse({ type: "score_threshold", scoreThreshold: 2.5 }).success).toBe(false);
    expect(ZTriggerInput.safeParse({ type: "signup" }).success).toBe(true);
    expect(ZTriggerInput.safeParse({ type: "webhook" }).success).toBe(false);
  });
  it("accept trigger and manual enrollment sources only", () => {
    expect(ZEnrollmentSource.safeParse("trigger:tag_added").success).toBe(true);
    expect(ZEnrollmentSource.safeParse("manual").success).toBe(true);
    expect(ZEnrollmentSource.safeParse("trigger:webhook").success).toBe(false);
  });
  it("fire a score threshold only on an upward crossing", () => {
    expect(crossesScoreThreshold(40, 50, 50)).toBe(true);
    expect(crossesScoreThreshold(49, 80, 50)).toBe(true);
    expect(crossesScoreThreshold(50, 60, 50)).toBe(false); // already above
    expect(crossesScoreThreshold(60, 40, 50)).toBe(false); // drop
    expect(crossesScoreThreshold(10, 49, 50)).toBe(false);
  });
  it("match signup sources case-insensitively, any source when unset", () => {
    expect(signupMatches(null, "webinar")).toBe(true);
    expect(signupMatches("Webinar", " webinar ")).toBe(true);
    expect(signupMatches("webinar", "pricing")).toBe(false);
    expect(signupMatches("webinar", null)).toBe(false);
  });
});

describe("re-entry policy", () => {
  it("always allows a first enrollment", () => {
    for (const policy of ["never", "after_exit", "after_completion"] as const) {
      expect(reentryDecision(policy, null)).toEqual({ allowed: true });
    }
  });
  it("never allows a second pass under never", () => {
    expect(reentryDecision("never", "completed").allowed).toBe(false);
    expect(reentryDecision("never", "removed").allowed).toBe(false);
  });
  it("allows any re-entry under after_exit", () => {
    for (const reason of EXIT_REASONS) expect(reentryDecision("after_exit", reason).allowed).toBe(true);
  });
  it("allows re-entry only after completion under after_completion", () => {
    for (const reason of EXIT_REASONS) {
      expect(reentryDecision("after_completion", reason).allowed).toBe(reason === "completed");
    }
  });
});

describe("delays", () => {
  it("convert units and describe themselves", () => {
    expect(delayMs(3, "days")).toBe(3 * 86_400_000);
    expect(delayMs(90, "minutes")).toBe(5_400_000);
    expect(describeDelay(0, "days")).toBe("immediately");
    expect(describeDelay(1, "hours")).toBe("1 hour");
    expect(describeDelay(2, "days")).toBe("2 days");
  });
});
