import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { exitContact } from "../../lib/sequences/exit-contact";
import { resetDb, testDb, waitForLockWaiters } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";

const db = testDb();
const events = recordEvents();

beforeEach(async () => {
  await resetDb();
  events.sent.length = 0;
});
afterAll(() => events.restore());

const liveCount = (contactId: string, sequenceId: string) =>
  db.enrollment.count({ where: { contactId, sequenceId, status: { in: ["active", "paused"] } } });

describe("enrollContact", () => {
  it("enrolls once; a second sequential call reports already_enrolled", async () => {
    const contact = await makeContact(db);
    const sequence = await makeSequence(db, { steps: [{ delayAmount: 2, delayUnit: "hours" }] });

    const first = await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
    const second = await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });

    expect(first.outcome).toBe("enrolled");
    expect(second).toEqual({ outcome: "already_enrolled", enrollmentId: first.outcome === "enrolled" ? first.enrollmentId : "" });
    expect(await liveCount(contact.id, sequence.id)).toBe(1);

    const enrollment = await db.enrollment.findFirstOrThrow({ where: { contactId: contact.id } });
    expect(enrollment.status).toBe("active");
    expect(enrollment.source).toBe("manual");
    // The first step's delay counts from enrollment.
    expect(enrollment.nextStepDueAt!.getTime() - enrollment.enrolledAt.getTime()).toBe(2 * 3_600_000);
    expect(Math.abs(enrollment.enrolledAt.getTime() - Date.now())).toBeLessThan(60_000);

    const log = await db.enrollmentEvent.findMany({ where: { contactId: contact.id }, orderBy: { id: "asc" } });
    expect(log.map((e) => e.type)).toEqual(["enrolled", "duplicate_refused"]);

    // One start event, with an id derived from the enrollment.
    expect(events.sent).toHaveLength(1);
    expect(events.sent[0]).toMatchObject({ name: "stepwise/enrollment.started", id: `enrollment-run-${enrollment.id}`, data: { runKey: enrollment.id } });
  });

  it("20 concurrent calls for one pair give exactly one active enrollment", async () => {
    const contact = await makeContact(db);
    const sequence = await makeSequence(db);

    const results = await Promise.all(
      Array.from({ length: 20 }, () => enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "api" })),
    );

    const outcomes = results.map((r) => r.outcome);
    expect(outcomes.filter((o) => o === "enrolled")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "already_enrolled")).toHaveLength(19);
    expect(await liveCount(contact.id, sequence.id)).toBe(1);
    expect(await db.enrollment.count()).toBe(1);
    expect(events.sent).toHaveLength(1);
  });

  it("the database refuses a second live enrollment even when the domain is bypassed", async () => {
    const contact = await makeContact(db);
    const sequence = await makeSequence(db);
    const row = { contactId: contact.id, sequenceId: sequence.id, source: "manual" };
    await db.enrollment.create({ data: row });
    await expect(db.enrollment.create({ data: { ...row, status: "paused" } })).rejects.toMatchObject({ code: "P2002" });
    // An ended enrollment does not hold the place.
    await db.enrollment.updateMany({ where: row, data: { status: "completed", exitReason: "completed" } });
    await expect(db.enrollment.create({ data: row })).resolves.toBeTruthy();
  });

  it.each([
    ["unsubscribed", { status: "unsubscribed" as const }, "contact_unsubscribed"],
    ["bounced", { status: "bounced" as const }, "contact_bounced"],
    ["deleted", { deletedAt: new Date() }, "contact_deleted"],
  ])("refuses a %s contact and logs why", async (_label, data, reason) => {
    const contact = await makeContact(db, data);
    const sequence = await makeSequence(db);
    const result = await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
    expect(result).toEqual({ outcome: "refused", reason });
    expect(await db.enrollment.count()).toBe(0);
    const log = await db.enrollmentEvent.findFirstOrThrow({ where: { contactId: contact.id } });
    expect(log).toMatchObject({ type: "enrollment_refused", reason });
    expect(events.sent).toHaveLength(0);
  });

  it.each(["draft", "paused", "archived"] as const)("refuses a %s sequence", async (status) => {
    const contact = await makeContact(db);
    const sequence = await makeSequence(db, { status });
    const result = await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
    expect(result).toEqual({ outcome: "refused", reason: "sequence_not_active" });
    expect(await db.enrollment.count()).toBe(0);
  });

  it("refuses an opted-out contact after they opted out mid-sequence", async () => {
    const contact = await makeContact(db);
    const sequence = await makeSequence(db, { reentryPolicy: "after_exit" });
    await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
    await db.contact.update({ where: { id: contact.id }, data: { status: "unsubscribed", unsubscribedAt: new Date() } });
    await exitContact(db, { contactId: contact.id, reason: "opted_out" });

    const again = await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
    expect(again).toEqual({ outcome: "refused", reason: "contact_unsubscribed" });
    expect(await liveCount(contact.id, sequence.id)).toBe(0);
  });

  it("an opt-out committing between its read and its insert: the call starts over and refuses", async () => {
    const contact = await makeContact(db);
    const sequence = await makeSequence(db);
    let enrolling: Promise<unknown> | undefined;
    await db.$transaction(async (tx) => {
      // The opt-out holds the contact's row lock, uncommitted: enrollContact
      // reads "subscribed", then its insert waits on the lock.
      await tx.$executeRaw`UPDATE "Contact" SET "status" = 'unsubscribed' WHERE "id" = ${contact.id}`;
      enrolling = enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
      await waitForLockWaiters(1);
    });

    expect(await enrolling).toEqual({ outcome: "refused", reason: "contact_unsubscribed" });
    expect(await db.enrollment.count()).toBe(0);
    expect(events.sent).toHaveLength(0);
    const log = await db.enrollmentEvent.findMany({ where: { contactId: contact.id }, select: { type: true, reason: true } });
    expect(log).toEqual([{ type: "enrollment_refused", reason: "contact_unsubscribed" }]);
  });

  it("reports unknown contacts and sequences without writing", async () => {
    const contact = await makeContact(db);
    const sequence = await makeSequence(db);
    const missing = "00000000-0000-4000-8000-000000000000";
    expect(await enrollContact(db, { contactId: missing, sequenceId: sequence.id, source: "manual" })).toEqual({
      outcome: "refused",
      reason: "contact_not_found",
    });
    expect(await enrollContact(db, { contactId: contact.id, sequenceId: missing, source: "manual" })).toEqual({
      outcome: "refused",
      reason: "sequence_not_found",
    });
    expect(await db.enrollment.count()).toBe(0);
    expect(await db.enrollmentEvent.count()).toBe(0);
  });

  it("rejects malformed input with field errors and writes nothing", async () => {
    const sequence = await makeSequence(db);
    const attempt = enrollContact(db, { contactId: "not-an-id", sequenceId: sequence.id, source: "somewhere" as never });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await attempt.catch((error: AppError) => {
      expect(error.code).toBe("validation");
      expect(Object.keys(error.fieldErrors ?? {}).sort()).toEqual(["contactId", "source"]);
    });
    expect(await db.enrollment.count()).toBe(0);
    expect(await db.enrollmentEvent.count()).toBe(0);
  });
});

describe("re-entry policy", () => {
  async function passThrough(policy: "never" | "after_exit" | "after_completion", exit: "completed" | "removed") {
    const contact = await makeContact(db);
    const sequence = await makeSequence(db, { reentryPolicy: policy });
    await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
    await exitContact(db, { contactId: contact.id, sequenceId: sequence.id, reason: exit });
    return enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
  }

  it("never: no second pass, even after completing", async () => {
    expect(await passThrough("never", "completed")).toEqual({ outcome: "refused", reason: "reentry_not_allowed" });
  });
  it("after_exit: again after any exit", async () => {
    expect((await passThrough("after_exit", "removed")).outcome).toBe("enrolled");
    expect((await passThrough("after_exit", "completed")).outcome).toBe("enrolled");
  });
  it("after_completion: again only after completing", async () => {
    expect((await passThrough("after_completion", "completed")).outcome).toBe("enrolled");
    expect(await passThrough("after_completion", "removed")).toEqual({ outcome: "refused", reason: "reentry_not_allowed" });
  });
});
