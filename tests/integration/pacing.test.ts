/** The daily cap's setting (same schema as the form) and the Resume estimate, against the database. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { setClock } from "../../lib/clock";
import { resumePreview } from "../../lib/pacing/resume-preview";
import { updateSequenceSchedule } from "../../lib/sequences/schedule-mutations";
import { ZUpdateSequenceSchedule } from "../../lib/validations/schedule";
import { resetDb, testDb } from "../support/db";
import { makeContact, makeSequence } from "../support/factories";
import { testDatabaseUrl } from "../support/database-url";

process.env.DATABASE_URL ??= testDatabaseUrl();

const db = testDb();
const WINDOW = { anyTime: false, days: [1, 2, 3, 4, 5] as (1 | 2 | 3 | 4 | 5)[], windowStart: "09:00", windowEnd: "17:00", holidayCountry: null, timezone: "Europe/Berlin" };
const validationError = (fieldErrors: Record<string, unknown>) =>
  expect.objectContaining({ code: "validation", fieldErrors: expect.objectContaining(fieldErrors) });

beforeEach(() => resetDb());
afterEach(() => {
  setClock(null);
  delete process.env.STEPWISE_SEND_RATE_PER_MINUTE;
});

describe("the daily cap setting", () => {
  it("is saved with the schedule, cleared with null, and left alone when absent", async () => {
    const sequence = await makeSequence(db);
    await updateSequenceSchedule(db, { ...WINDOW, sequenceId: sequence.id, dailyCap: 10 });
    expect((await db.sequence.findUniqueOrThrow({ where: { id: sequence.id } })).dailyCap).toBe(10);
    await updateSequenceSchedule(db, { ...WINDOW, sequenceId: sequence.id });
    expect((await db.sequence.findUniqueOrThrow({ where: { id: sequence.id } })).dailyCap).toBe(10);
    await updateSequenceSchedule(db, { ...WINDOW, sequenceId: sequence.id, dailyCap: null });
    expect((await db.sequence.findUniqueOrThrow({ where: { id: sequence.id } })).dailyCap).toBeNull();
  });

  it("refuses 0, fractions and not-a-number with a field error, changing nothing", async () => {
    const sequence = await makeSequence(db, { dailyCap: 7 });
    for (const dailyCap of [0, -3, 2.5, Number.NaN, 2_000_000]) {
      await expect(updateSequenceSchedule(db, { ...WINDOW, sequenceId: sequence.id, dailyCap })).rejects.toEqual(validationError({ dailyCap: expect.any(Array) }));
    }
    // The form reads the same schema: the same field, the same message.
    const checked = ZUpdateSequenceSchedule.safeParse({ ...WINDOW, sequenceId: sequence.id, dailyCap: 0 });
    expect(checked.success).toBe(false);
    expect(checked.error?.issues[0]).toMatchObject({ path: ["dailyCap"], message: "At least 1 a day (leave it empty for no cap)" });
    const row = await db.sequence.findUniqueOrThrow({ where: { id: sequence.id } });
    expect(row.dailyCap).toBe(7);
    expect(row.schedule).toBeNull();
  });

  it("the database refuses a cap of 0 written around the schema", async () => {
    const sequence = await makeSequence(db);
    await expect(db.$executeRaw`UPDATE "Sequence" SET "dailyCap" = 0 WHERE "id" = ${sequence.id}`).rejects.toThrow(/Sequence_dailyCap_positive/);
  });
});

describe("the Resume estimate", () => {
  it("counts the contacts due, today's sends under the cap in the sequence's zone, and the rate", async () => {
    // Thursday 15 January 2026, 23:30 UTC: already Friday 16 in Berlin.
    setClock({ now: () => Date.UTC(2026, 0, 15, 23, 30) });
    process.env.STEPWISE_SEND_RATE_PER_MINUTE = "60";
    const sequence = await makeSequence(db, { status: "paused", dailyCap: 10, timezone: "Europe/Berlin" });
    const contacts = await Promise.all(Array.from({ length: 27 }, () => makeContact(db)));
    const dueAt = (i: number) => (i < 25 ? new Date(Date.UTC(2026, 0, 14)) : new Date(Date.UTC(2026, 0, 20)));
    await db.enrollment.createMany({
      data: contacts.map((c, i) => ({ contactId: c.id, sequenceId: sequence.id, source: "manual", nextStepDueAt: dueAt(i) })),
    });
    await db.sequenceDaySends.createMany({
      data: [
        { sequenceId: sequence.id, day: "2026-01-16", sends: 3 },
        { sequenceId: sequence.id, day: "2026-01-15", sends: 10 },
      ],
    });
    const preview = await resumePreview(db, sequence.id);
    expect(preview).toMatchObject({ due: 25, today: 7, days: 3, dailyCap: 10, ratePerMinute: 60 });
    expect(preview.summary).toBe(
      "25 contacts are due: with a cap of 10 a day they go out over 3 days (7 today, then up to 10 a day); at most 60 a minute, a day's sends take about 1 minute.",
    );
  });
});
