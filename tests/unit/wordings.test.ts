import { describe, expect, it } from "vitest";
import * as PrismaEnums from "../../lib/generated/prisma/enums";
import { ENROLL_REFUSALS } from "../../lib/sequences/enroll-refusals";
import { TRIGGER_TYPES, ZEnrollmentSource } from "../../lib/sequences/triggers";
import {
  AUDIT_ACTOR_TYPE_WORDINGS,
  USER_TOKEN_KIND_WORDINGS,
  CONSENT_SOURCE_WORDINGS,
  CONSENT_TYPE_WORDINGS,
  CONTACT_STATUS_WORDINGS,
  DELAY_UNIT_WORDINGS,
  consentSourceWording,
  ENROLLMENT_STATUS_WORDINGS,
  enrolledByWording,
  enrollmentSourceWording,
  EVENT_TYPE_WORDINGS,
  eventReasonWording,
  EXIT_REASON_WORDINGS,
  MAILBOX_AUTH_WORDINGS,
  exitDetailWording,
  humanizeCode,
  REENTRY_POLICY_WORDINGS,
  refusalWording,
  ROLE_WORDINGS,
  SEND_STATUS_WORDINGS,
  SEQUENCE_STATUS_WORDINGS,
  skipReasonWording,
  statusWording,
  TRACKING_EVENT_TYPE_WORDINGS,
  TRIGGER_TYPE_WORDINGS,
  WEBHOOK_DELIVERY_STATUS_WORDINGS,
} from "../../lib/wordings";

/** Every enum of prisma/schema.prisma, with the table that words it. A new enum must be added here. */
const TABLE_FOR_ENUM: Record<string, Record<string, string>> = {
  Role: ROLE_WORDINGS,
  ContactStatus: CONTACT_STATUS_WORDINGS,
  SequenceStatus: SEQUENCE_STATUS_WORDINGS,
  ReentryPolicy: REENTRY_POLICY_WORDINGS,
  TriggerType: TRIGGER_TYPE_WORDINGS,
  DelayUnit: DELAY_UNIT_WORDINGS,
  EnrollmentStatus: ENROLLMENT_STATUS_WORDINGS,
  ExitReason: EXIT_REASON_WORDINGS,
  SendStatus: SEND_STATUS_WORDINGS,
  EnrollmentEventType: EVENT_TYPE_WORDINGS,
  ConsentEventType: CONSENT_TYPE_WORDINGS,
  MailboxAuth: MAILBOX_AUTH_WORDINGS,
  TrackingEventType: TRACKING_EVENT_TYPE_WORDINGS,
  AuditActorType: AUDIT_ACTOR_TYPE_WORDINGS,
  UserTokenKind: USER_TOKEN_KIND_WORDINGS,
  WebhookDeliveryStatus: WEBHOOK_DELIVERY_STATUS_WORDINGS,
};

const RAW_CODE = /[a-z]+_[a-z_]+|trigger:\S|\(\w+_\w+\)/;

describe("human wordings", () => {
  const enums = Object.entries(PrismaEnums).filter(([, value]) => value && typeof value === "object") as [string, Record<string, string>][];

  it("cover every enum of the Prisma schema", () => {
    expect(enums.length).toBeGreaterThanOrEqual(11);
    expect(enums.map(([name]) => name).sort()).toEqual(Object.keys(TABLE_FOR_ENUM).sort());
  });

  it.each(enums)("word every value of %s in words, not a code", (name, values) => {
    const table = TABLE_FOR_ENUM[name];
    for (const value of Object.values(values)) {
      expect(table[value], `${name}.${value}`).toBeTruthy();
      expect(table[value]).not.toMatch(RAW_CODE);
    }
  });

  it("word every enrollment source the zod schema accepts", () => {
    const sources = ["manual", "api", "import", "seed", ...TRIGGER_TYPES.map((t) => `trigger:${t}`)];
    for (const source of sources) {
      expect(ZEnrollmentSource.safeParse(source).success).toBe(true);
      expect(enrollmentSourceWording(source)).not.toMatch(RAW_CODE);
      expect(enrollmentSourceWording(source)).not.toBe(humanizeCode(source));
    }
    expect(enrollmentSourceWording("trigger:tag_added")).toBe("Trigger: tag added");
    expect(enrollmentSourceWording("manual")).toBe("Added by a team member");
    expect(enrolledByWording("manual")).toBe("manually");
    expect(enrolledByWording("trigger:tag_added")).toBe("by trigger: tag added");
    for (const source of sources) expect(enrolledByWording(source)).not.toMatch(RAW_CODE);
  });

  it("word every refusal, already_enrolled included", () => {
    for (const code of [...Object.keys(ENROLL_REFUSALS), "already_enrolled"]) {
      expect(refusalWording(code)).not.toMatch(RAW_CODE);
    }
    expect(refusalWording("already_enrolled")).toBe("already in the sequence");
    expect(refusalWording("contact_unsubscribed")).toBe("the contact had unsubscribed");
  });

  it("word every skip reason run-step records", () => {
    const reasons = [
      "contact_unsubscribed",
      "contact_bounced",
      "contact_deleted",
      "step_deleted",
      "enrollment_not_found",
      ...Object.values(PrismaEnums.SequenceStatus).map((s) => `sequence_${s}`),
      ...Object.values(PrismaEnums.EnrollmentStatus).map((s) => `enrollment_${s}`),
    ];
    for (const reason of reasons) expect(skipReasonWording(reason), reason).not.toMatch(RAW_CODE);
    expect(skipReasonWording("enrollment_opted_out")).toBe("already exited (opted out)");
  });

  it("word the consent sources the app records", () => {
    for (const source of ["unsubscribe_page", "one_click", "admin", "api", "import", "signup", "webhook", "seed"]) {
      expect(CONSENT_SOURCE_WORDINGS[source], source).toBeTruthy();
      expect(consentSourceWording(source)).not.toMatch(RAW_CODE);
    }
  });

  it("reword the detail older unsubscribes stored", () => {
    expect(exitDetailWording("unsubscribed (unsubscribe_page)")).toBe("Unsubscribed via the unsubscribe page");
    expect(exitDetailWording("Removed by ada@example.com")).toBe("Removed by ada@example.com");
  });

  it("never pass an unknown code through as snake_case", () => {
    expect(statusWording("some_new_status")).toBe("Some new status");
    expect(eventReasonWording("paused", "sequence_paused_by_admin")).not.toMatch(RAW_CODE);
    expect(eventReasonWording("enrollment_refused", "brand_new_refusal")).not.toMatch(RAW_CODE);
  });
});
