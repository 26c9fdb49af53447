import { beforeEach, describe, expect, it } from "vitest";
import type { Weekday } from "../../lib/schedule/types";
import { updateSequenceSchedule } from "../../lib/sequences/schedule-mutations";
import { contactSendPlans, previewSequenceForContact } from "../../lib/sequences/send-plans";
import { createSequence, duplicateSequence } from "../../lib/sequences/sequence-mutations";
import { addStep, updateStep } from "../../lib/sequences/step-mutations";
import { resetDb, testDb } from "../support/db";
import { makeContact, makeSequence } from "../support/factories";
import { testDatabaseUrl } from "../support/database-url";

process.env.DATABASE_URL ??= testDatabaseUrl();

const db = testDb();

const validationError = (fieldErrors: Record<string, unknown>) =>
  expect.objectContaining({ code: "validation", fieldErrors: expect.objectContaining(fieldErrors) });

const WINDOW = { anyTime: false, days: [1, 2, 3, 4, 5] as Weekday[], windowStart: "09:00", windowEnd: "17:00", holidayCountry: null as string | null, timezone: "Europe/Berlin" };

describe("sequence schedules", () => {
  beforeEach(() => resetDb());

  it("gives new sequences the weekday 9–17 schedule in the creator's zone", async () => {
    const { id } = await createSequence(db, { name: "New", timezone: "europe/berlin" });
    const row = await db.sequence.findUniqueOrThrow({ where: { id } });
    expect(row.schedule).toEqual({ days: [1, 2, 3, 4, 5], window: { start: "09:00", end: "17:00" }, holidayCountry: null });
    expect(row.timezone).toBe("Europe/Berlin");
  });

  it("leaves sequences made without a schedule at any time", async () => {
    const sequence = await makeSequence(db);
    const row = await db.sequence.findUniqueOrThrow({ where: { id: sequence.id } });
    expect(row.schedule).toBeNull();
    expect(row.timezone).toBe("UTC");
  });

  it("saves a schedule, sorted, and clears it for any time", async () => {
    const sequence = await makeSequence(db);
    await updateSequenceSchedule(db, { ...WINDOW, sequenceId: sequence.id, days: [5, 1, 3], holidayCountry: "DE", timezone: "america/new_york" });
    let row = await db.sequence.findUniqueOrThrow({ where: { id: sequence.id } });
    expect(row.schedule).toEqual({ days: [1, 3, 5], window: { start: "09:00", end: "17:00" }, holidayCountry: "DE" });
    expect(row.timezone).toBe("America/New_York");

    await updateSequenceSchedule(db, { ...WINDOW, sequenceId: sequence.id, anyTime: true, days: [] });
    row = await db.sequence.findUniqueOrThrow({ where: { id: sequence.id } });
    expect(row.schedule).toBeNull();
  });

  it("refuses bad schedules field by field and changes nothing", async () => {
    const sequence = await makeSequence(db);
    const sequenceId = sequence.id;
    await expect(updateSequenceSchedule(db, { ...WINDOW, sequenceId, days: [] })).rejects.toEqual(validationError({ days: ["Pick at least one sending day"] }));
    await expect(updateSequenceSchedule(db, { ...WINDOW, sequenceId, windowStart: "17:00", windowEnd: "09:00" })).rejects.toEqual(
      validationError({ windowEnd: [expect.stringMatching(/end after it starts/)] }),
    );
    await expect(updateSequenceSchedule(db, { ...WINDOW, sequenceId, windowStart: "9am" })).rejects.toEqual(validationError({ windowStart: expect.any(Array) }));
    await expect(updateSequenceSchedule(db, { ...WINDOW, sequenceId, holidayCountry: "XX" })).rejects.toEqual(validationError({ holidayCountry: ["Pick a country from the list"] }));
    await expect(updateSequenceSchedule(db, { ...WINDOW, sequenceId, timezone: "Mars/Olympus" })).rejects.toEqual(validationError({ timezone: expect.any(Array) }));
    await expect(updateSequenceSchedule(db, { ...WINDOW, sequenceId, days: [1, 1] })).rejects.toEqual(validationError({ days: ["A day appears twice"] }));
    const row = await db.sequence.findUniqueOrThrow({ where: { id: sequenceId } });
    expect(row.schedule).toBeNull();
  });

  it("refuses to change an archived sequence's schedule", async () => {
    const sequence = await makeSequence(db, { status: "archived" });
    await expect(updateSequenceSchedule(db, { ...WINDOW, sequenceId: sequence.id })).rejects.toEqual(expect.objectContaining({ code: "conflict" }));
  });
});

describe("step delays", () => {
  beforeEach(() => resetDb());

  it("stores business days and a fixed local date-time", async () => {
    const { id } = await createSequence(db, { name: "Delays" });
    const a = await addStep(db, { sequenceId: id, subject: "A", body: "A", delayAmount: 2, delayUnit: "business_days" });
    const b = await addStep(db, { sequenceId: id, subject: "B", body: "B", delayAmount: 0, delayUnit: "days", waitUntil: "2026-12-24T09:00" });
    const rows = await db.sequenceStep.findMany({ where: { sequenceId: id }, orderBy: { position: "asc" } });
    expect(rows.map((r) => [r.id, r.delayUnit, r.waitUntil])).toEqual([
      [a.id, "business_days", null],
      [b.id, "days", "2026-12-24T09:00"],
    ]);

    await updateStep(db, { sequenceId: id, stepId: b.id, subject: "B", body: "B", delayAmount: 1, delayUnit: "days", waitUntil: null });
    expect((await db.sequenceStep.findUniqueOrThrow({ where: { id: b.id } })).waitUntil).toBeNull();
  });

  it("refuses a date-time that does not exist and a business-day delay over a year", async () => {
    const { id } = await createSequence(db, { name: "Delays" });
    await expect(addStep(db, { sequenceId: id, subject: "A", body: "A", delayAmount: 0, delayUnit: "days", waitUntil: "2026-02-30T09:00" })).rejects.toEqual(
      validationError({ waitUntil: ["Not a real date and time"] }),
    );
    await expect(addStep(db, { sequenceId: id, subject: "A", body: "A", delayAmount: 261, delayUnit: "business_days" })).rejects.toEqual(
      validationError({ delayAmount: ["Delay must be between 0 and 260 business days"] }),
    );
    expect(await db.sequenceStep.count({ where: { sequenceId: id } })).toBe(0);
  });

  it("duplicates the schedule, the zone and fixed dates", async () => {
    const { id } = await createSequence(db, { name: "Source", timezone: "Asia/Kathmandu" });
    await addStep(db, { sequenceId: id, subject: "A", body: "A", delayAmount: 0, delayUnit: "days", waitUntil: "2026-12-24T09:00" });
    const copy = await duplicateSequence(db, { sequenceId: id });
    const row = await db.sequence.findUniqueOrThrow({ where: { id: copy.id }, include: { steps: true } });
    expect(row.timezone).toBe("Asia/Kathmandu");
    expect(row.schedule).toEqual({ days: [1, 2, 3, 4, 5], window: { start: "09:00", end: "17:00" }, holidayCountry: null });
    expect(row.steps[0].waitUntil).toBe("2026-12-24T09:00");
  });
});

describe("send plans (contact page and preview as contact)", () => {
  beforeEach(() => resetDb());

  it("plans a waiting contact's remaining steps in their zone, each after the one before", async () => {
    const sequence = await makeSequence(db, {
      timezone: "Europe/Berlin",
      schedule: { days: [1, 2, 3, 4, 5], window: { start: "09:00", end: "17:00" }, holidayCountry: null },
      steps: [{ delayAmount: 0, delayUnit: "minutes" }, { delayAmount: 1, delayUnit: "business_days" }, { delayAmount: 1, delayUnit: "days" }],
    });
    const contact = await makeContact(db, { timezone: "America/New_York" });
    // Step 1 went out on Friday 2026-03-06 at 15:00 New York time; step 2 is next.
    const enrollment = await db.enrollment.create({
      data: { contactId: contact.id, sequenceId: sequence.id, source: "manual", currentStepIndex: 1, enrolledAt: new Date("2026-03-06T19:00:00Z") },
    });
    await db.stepSend.create({ data: { enrollmentId: enrollment.id, stepId: sequence.steps[0].id, status: "sent", sentAt: new Date("2026-03-06T20:00:00Z") } });

    const [plan] = await contactSendPlans(db, contact.id, new Date("2026-03-06T21:00:00Z"));
    expect(plan.zone).toEqual({ zone: "America/New_York", fallback: false });
    expect(plan.steps.map((s) => [s.number, s.at.toISOString()])).toEqual([
      [2, "2026-03-09T19:00:00.000Z"], // Monday 15:00 EDT (the clocks changed on Sunday)
      [3, "2026-03-10T19:00:00.000Z"], // a day later, same wall time
    ]);
  });

  it("previews a sequence for a contact without a zone in the sequence's zone, and says so", async () => {
    const sequence = await makeSequence(db, {
      timezone: "Europe/Berlin",
      schedule: { days: [1, 2, 3, 4, 5], window: { start: "09:00", end: "17:00" }, holidayCountry: "DE" },
      steps: [{ delayAmount: 0, delayUnit: "minutes" }],
    });
    const contact = await makeContact(db, {}); // stored default "UTC": no zone given
    const plan = await previewSequenceForContact(db, sequence.id, contact.id, new Date("2026-12-24T20:00:00Z"));
    expect(plan.zone).toMatchObject({ zone: "Europe/Berlin", fallback: true, reason: "missing" });
    expect(plan.steps[0].at.toISOString()).toBe("2026-12-28T08:00:00.000Z");
    expect(plan.steps[0].explanation).toBe("Thu 24 Dec 21:00 is after the 9:00–17:00 window → Mon 28 Dec 09:00 Europe/Berlin");
    expect(plan.scheduleText).toMatch(/except public holidays in Germany/);
  });
});
