/**
 * The stats' cache (Enrollment.nextStepId) after a publish moves waiting
 * steps: the publish sets it directly where the definition allows it (the
 * new waiting step is live and has no send record), then checks every moved
 * row against enrollment_next_step. Either way it must equal the function.
 */
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { updateSequenceSchedule } from "../../lib/sequences/schedule-mutations";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";

const db = testDb();
const events = recordEvents();
const WINDOW = { anyTime: false, days: [1, 2, 3, 4, 5] as (1 | 2 | 3 | 4 | 5)[], windowStart: "09:00", windowEnd: "17:00", holidayCountry: null, timezone: "Europe/Berlin" };

afterAll(() => events.restore());
beforeEach(async () => {
  await resetDb(db);
});

async function cacheAndDefinition(sequenceId: string) {
  return db.$queryRaw<{ id: string; waitingStepId: string | null; cached: string | null; defined: string | null }[]>`
    SELECT "id", "waitingStepId", "nextStepId" AS "cached", enrollment_next_step("id", "sequenceId") AS "defined"
    FROM "Enrollment" WHERE "sequenceId" = ${sequenceId} ORDER BY "id"`;
}

describe("nextStepId after a publish", () => {
  it("follows enrollment_next_step when the new waiting step has a retryable failed send (no shortcut)", async () => {
    const sequence = await makeSequence(db, { steps: [{ subject: "One", delayAmount: 0 }, { subject: "Two", delayAmount: 1 }, { subject: "Three", delayAmount: 2 }] });
    const [s1, s2, s3] = sequence.steps;
    const plain = await enrollContact(db, { contactId: (await makeContact(db)).id, sequenceId: sequence.id, source: "manual" });
    const odd = await enrollContact(db, { contactId: (await makeContact(db)).id, sequenceId: sequence.id, source: "manual" });
    if (plain.outcome !== "enrolled" || odd.outcome !== "enrolled") throw new Error("not enrolled");
    const contactId = (await db.enrollment.findUniqueOrThrow({ where: { id: odd.enrollmentId } })).contactId;
    // In flight since before versions (no waiting step), step 1 passed by an
    // earlier edit (never sent), step 2's send failed before the transport took it.
    await db.enrollment.update({ where: { id: odd.enrollmentId }, data: { waitingStepId: null } });
    await db.enrollmentEvent.create({ data: { type: "step_passed", contactId, sequenceId: sequence.id, enrollmentId: odd.enrollmentId, stepId: s1.id, reason: "inserted_behind" } });
    await db.stepSend.create({ data: { enrollmentId: odd.enrollmentId, stepId: s2.id, status: "failed", retryable: true } });
    await db.$executeRaw`UPDATE "Enrollment" SET "nextStepId" = enrollment_next_step("id", "sequenceId") WHERE "sequenceId" = ${sequence.id}`;
    expect((await db.enrollment.findUniqueOrThrow({ where: { id: odd.enrollmentId } })).nextStepId).toBe(s1.id);

    await updateSequenceSchedule(db, { ...WINDOW, sequenceId: sequence.id });

    const rows = await cacheAndDefinition(sequence.id);
    // The run waits on step 2 again (a retryable failure is not done); the cache says step 3, as its definition does.
    expect(rows.find((r) => r.id === odd.enrollmentId)).toMatchObject({ waitingStepId: s2.id, cached: s3.id, defined: s3.id });
    expect(rows.find((r) => r.id === plain.enrollmentId)).toMatchObject({ waitingStepId: s1.id, cached: s1.id, defined: s1.id });
    for (const row of rows) expect(row.cached).toBe(row.defined);
  });
});
