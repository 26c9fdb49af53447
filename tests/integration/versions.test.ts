/**
 * Versions against the database: the claim's identity, version and due-time
 * checks, and a publish applying exactly the plan previewed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setClock } from "../../lib/clock";
import { CatcherTransport } from "../../lib/email/transports/catcher";
import { setTransport } from "../../lib/email/transports";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { sendStep } from "../../lib/sequences/run-step";
import { deleteStep, updateStep } from "../../lib/sequences/step-mutations";
import { loadSteps } from "../../lib/sequences/versions/load";
import { planPublish, publishVersion } from "../../lib/sequences/versions/publish";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";
import { plannedSend } from "../support/plan";

process.env.STEPWISE_SIGNING_SECRET ??= "versions-test-secret-0123456789";
const db = testDb();
const events = recordEvents();
const DAY = 86_400_000;
let clock = Date.UTC(2026, 11, 1, 9);

beforeAll(() => {
  setTransport(new CatcherTransport(db));
  setClock({ now: () => clock });
});
afterAll(() => {
  setTransport(null);
  setClock(null);
  events.restore();
});
beforeEach(async () => {
  await resetDb(db);
});

async function enrolled(steps = [{ subject: "One", delayAmount: 0 }, { subject: "Two", delayAmount: 1 }, { subject: "Three", delayAmount: 2 }]) {
  const sequence = await makeSequence(db, { steps });
  const contact = await makeContact(db);
  const result = await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
  if (result.outcome !== "enrolled") throw new Error(result.outcome);
  return { sequence, contact, enrollmentId: result.enrollmentId };
}

describe("the send claim", () => {
  it("refuses a step that is not due yet, without a trace, and sends it once due", async () => {
    const { enrollmentId } = await enrolled();
    expect(await sendStep(db, await plannedSend(db, enrollmentId))).toMatchObject({ outcome: "sent" });
    const second = await plannedSend(db, enrollmentId);
    clock += DAY - 500; // an executor waking half a second early
    expect(await sendStep(db, second)).toMatchObject({ outcome: "not_due" });
    expect(await db.stepSend.count({ where: { enrollmentId } })).toBe(1);
    clock += 500;
    expect(await sendStep(db, second)).toMatchObject({ outcome: "sent" });
  });

  it("refuses a plan made under an older version, or for a step the enrollment no longer waits on", async () => {
    const { sequence, enrollmentId } = await enrolled();
    await sendStep(db, await plannedSend(db, enrollmentId));
    const stale = await plannedSend(db, enrollmentId);
    clock += 2 * DAY;
    await deleteStep(db, { sequenceId: sequence.id, stepId: sequence.steps[1].id });
    expect(await sendStep(db, stale)).toEqual({ outcome: "replanned" });
    expect(await sendStep(db, { ...stale, version: stale.version + 1 })).toEqual({ outcome: "replanned" }); // right version, wrong step
    const fresh = await plannedSend(db, enrollmentId);
    expect(fresh).toMatchObject({ stepId: sequence.steps[2].id, version: stale.version + 1 });
    expect(await sendStep(db, fresh)).toMatchObject({ outcome: "sent" });
  });
});

describe("publishing", () => {
  it("applies exactly the plan previewed: places, due times and timeline lines", async () => {
    const sequence = await makeSequence(db, { steps: [{ subject: "One", delayAmount: 0 }, { subject: "Two", delayAmount: 1 }, { subject: "Three", delayAmount: 2 }] });
    const contacts = await Promise.all(Array.from({ length: 6 }, () => makeContact(db)));
    const ids: string[] = [];
    for (const [i, c] of contacts.entries()) {
      const r = await enrollContact(db, { contactId: c.id, sequenceId: sequence.id, source: "manual" });
      if (r.outcome !== "enrolled") throw new Error(r.outcome);
      ids.push(r.enrollmentId);
      // Different places: some still on step 1, some sent step 1 (waiting on 2), some past 2.
      // Each send exactly when due (step two: a day after step one), so that
      // the waiting ones are not yet overdue when the delay changes below.
      for (let k = 0; k < i % 3; k++) {
        if (k === 1) clock += DAY;
        await sendStep(db, await plannedSend(db, r.enrollmentId));
      }
      await plannedSend(db, r.enrollmentId);
    }
    const before = await loadSteps(db, sequence.id);
    const edit = async () => {
      await db.sequenceStep.update({ where: { id: sequence.steps[1].id }, data: { deletedAt: new Date(clock) } });
      await db.sequenceStep.update({ where: { id: sequence.steps[2].id }, data: { delayAmount: 5 } });
    };
    // The preview: the same edit in a transaction that is rolled back.
    const preview = await db
      .$transaction(async (tx) => {
        await tx.sequenceStep.update({ where: { id: sequence.steps[1].id }, data: { deletedAt: new Date(clock) } });
        await tx.sequenceStep.update({ where: { id: sequence.steps[2].id }, data: { delayAmount: 5 } });
        throw { preview: await planPublish(tx, { sequenceId: sequence.id, before }) };
      })
      .catch((e: { preview: Awaited<ReturnType<typeof planPublish>> }) => e.preview);
    expect(preview.counts).toMatchObject({ unchanged: 2, moved_from_deleted: 2, due_changed: 2 });

    await edit();
    const applied = await db.$transaction((tx) => publishVersion(tx, { sequenceId: sequence.id, before, summary: "test" }));
    expect(applied?.counts).toEqual(preview.counts);
    const rows = await db.enrollment.findMany({ where: { id: { in: ids } }, select: { id: true, waitingStepId: true, nextStepDueAt: true, nextStepId: true, sequenceVersion: true } });
    for (const move of preview.moves) {
      const row = rows.find((r) => r.id === move.enrollmentId)!;
      expect(row).toMatchObject({ waitingStepId: move.migration.to?.stepId, nextStepDueAt: move.migration.to?.dueAt, nextStepId: move.migration.to?.stepId, sequenceVersion: applied!.version });
    }
    const lines = await db.enrollmentEvent.findMany({ where: { type: "step_moved", sequenceId: sequence.id } });
    expect(lines.map((l) => l.reason).sort()).toEqual(["delay_changed", "delay_changed", "step_deleted", "step_deleted"]);
    const version = await db.sequenceVersion.findFirstOrThrow({ where: { sequenceId: sequence.id } });
    expect(version).toMatchObject({ number: 2, summary: "test", plan: preview.counts });
  });

  it("a sequence nobody is in is edited in place: no version, no event", async () => {
    const sequence = await makeSequence(db, { steps: [{ subject: "One", delayAmount: 0 }] });
    const step = sequence.steps[0];
    await updateStep(db, { sequenceId: sequence.id, stepId: step.id, subject: "Uno", body: step.body, delayAmount: 1, delayUnit: "days" });
    expect(await db.sequenceVersion.count()).toBe(0);
    expect((await db.sequence.findUniqueOrThrow({ where: { id: sequence.id } })).version).toBe(1);
    expect(events.sent.filter((e) => e.name === "stepwise/sequence.published" && e.data.sequenceId === sequence.id)).toEqual([]);
  });
});
