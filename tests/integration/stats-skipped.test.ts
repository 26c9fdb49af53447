/**
 * The stats panel's "skipped" is a running total (SkippedStep and its
 * "skipped:<stepId>" counters, migration *_skipped_step_counters) where it
 * used to be counted from the event log on every read. Checked here in the
 * cases that make it tricky, and through a random history, against that
 * former query (skippedFromLog, kept as the oracle).
 */
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { deleteContact } from "../../lib/contacts/delete-contact";
import type { Db, Tx } from "../../lib/db/prisma";
import { setTransport } from "../../lib/email/transports";
import { CatcherTransport } from "../../lib/email/transports/catcher";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { planNextStep, sendStep } from "../../lib/sequences/run-step";
import { getSequenceStats } from "../../lib/sequences/stats";
import { resetDb, testDb, waitForLockWaiters } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";

process.env.STEPWISE_SIGNING_SECRET ??= "stats-skipped-test-secret-0123456789";

const db = testDb();
const events = recordEvents();

/** The former on-read count, per live step of the sequence (0 when none). */
async function skippedFromLog(sequenceId: string): Promise<Record<string, number>> {
  const rows = await db.$queryRaw<{ id: string; n: number }[]>`
    WITH steps AS (SELECT "id" FROM "SequenceStep" WHERE "sequenceId" = ${sequenceId} AND "deletedAt" IS NULL),
    skipped AS (
      SELECT ev."stepId", count(DISTINCT ev."enrollmentId")::int AS n
      FROM "EnrollmentEvent" ev
      WHERE ev."sequenceId" = ${sequenceId}
        AND ev."type" = 'step_skipped'
        AND ev."stepId" IN (SELECT "id" FROM steps)
        AND NOT starts_with(coalesce(ev."reason", ''), 'sequence_')
        AND NOT EXISTS (SELECT 1 FROM "StepSend" ss WHERE ss."enrollmentId" = ev."enrollmentId" AND ss."stepId" = ev."stepId")
      GROUP BY ev."stepId"
    )
    SELECT s."id", coalesce(sk.n, 0) AS n FROM steps s LEFT JOIN skipped sk ON sk."stepId" = s."id"`;
  return Object.fromEntries(rows.map((r) => [r.id, r.n]));
}

/** What the panel shows per step, in step order, after checking it against the log. */
async function skippedShown(sequenceId: string): Promise<number[]> {
  const { steps } = await getSequenceStats(db, sequenceId);
  const shown = Object.fromEntries(steps.map((s) => [s.stepId, s.skipped]));
  expect(shown).toEqual(await skippedFromLog(sequenceId));
  return steps.map((s) => s.skipped);
}

async function enrolled(steps = 2) {
  const sequence = await makeSequence(db, { steps: Array.from({ length: steps }, () => ({ delayAmount: 0 })) });
  const contact = await makeContact(db);
  const result = await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
  if (result.outcome !== "enrolled") throw new Error(`not enrolled: ${result.outcome}`);
  return { sequence, contact, enrollmentId: result.enrollmentId, stepIds: sequence.steps.map((s) => s.id) };
}

type Enrolled = Awaited<ReturnType<typeof enrolled>>;

/** Async, so that the query starts at once (a Prisma query is sent when awaited). */
const logSkip = async (client: Db | Tx, e: Enrolled, stepId: string, reason: string | null = "contact_bounced") =>
  client.enrollmentEvent.create({ data: { type: "step_skipped", contactId: e.contact.id, sequenceId: e.sequence.id, enrollmentId: e.enrollmentId, stepId, reason } });

const recordSend = async (client: Db | Tx, enrollmentId: string, stepId: string) =>
  client.stepSend.create({ data: { enrollmentId, stepId, status: "sent", sentAt: new Date() } });

/** Plans the enrollment's next step and runs its send, as a run does. */
async function runNextStep(enrollmentId: string) {
  const plan = await planNextStep(db, { enrollmentId });
  if (plan.kind !== "step") throw new Error(`nothing to send: ${plan.kind}`);
  return sendStep(db, { enrollmentId, stepId: plan.stepId, version: plan.version });
}

/**
 * A transaction that has done `work` and stays open until committed or
 * rolled back: how a test puts one writer's uncommitted rows in another's way.
 */
async function heldOpen(work: (tx: Tx) => Promise<unknown>) {
  let release: (commit: boolean) => void = () => {};
  const released = new Promise<boolean>((resolve) => (release = resolve));
  let ready = () => {};
  const workDone = new Promise<void>((resolve) => (ready = resolve));
  const ended = db.$transaction(
    async (tx) => {
      await work(tx);
      ready();
      if (!(await released)) throw new Error("rolled back (test)");
    },
    { timeout: 20_000 },
  );
  await Promise.race([workDone, ended]);
  return {
    commit: () => (release(true), ended),
    rollback: () => (release(false), expect(ended).rejects.toThrow("rolled back (test)")),
  };
}

beforeEach(async () => {
  await resetDb();
  setTransport(new CatcherTransport(db));
});
afterAll(() => {
  setTransport(null);
  events.restore();
});

describe("skipped steps", () => {
  it("a run that finds the enrollment paused skips the step; resumed, the step is sent and no longer counts", async () => {
    const e = await enrolled();
    const plan = await planNextStep(db, { enrollmentId: e.enrollmentId });
    if (plan.kind !== "step") throw new Error(plan.kind);
    await db.enrollment.update({ where: { id: e.enrollmentId }, data: { status: "paused" } });
    expect(await sendStep(db, { enrollmentId: e.enrollmentId, stepId: plan.stepId, version: plan.version })).toMatchObject({ outcome: "stopped", reason: "enrollment_paused" });
    expect(await skippedShown(e.sequence.id)).toEqual([1, 0]);

    await db.enrollment.update({ where: { id: e.enrollmentId }, data: { status: "active" } });
    expect(await runNextStep(e.enrollmentId)).toMatchObject({ outcome: "sent" });
    expect(await skippedShown(e.sequence.id)).toEqual([0, 0]);
  });

  it("a run stopped because the sequence is paused is not a skip", async () => {
    const e = await enrolled();
    const plan = await planNextStep(db, { enrollmentId: e.enrollmentId });
    if (plan.kind !== "step") throw new Error(plan.kind);
    await db.sequence.update({ where: { id: e.sequence.id }, data: { status: "paused" } });
    expect(await sendStep(db, { enrollmentId: e.enrollmentId, stepId: plan.stepId, version: plan.version })).toMatchObject({ outcome: "stopped", reason: "sequence_paused" });
    expect(await db.enrollmentEvent.count({ where: { type: "step_skipped", reason: "sequence_paused" } })).toBe(1);
    expect(await skippedShown(e.sequence.id)).toEqual([0, 0]);
  });

  it("several skips of a step count once; a skip without a step, or of a step already sent, does not count", async () => {
    const e = await enrolled();
    await logSkip(db, e, e.stepIds[0]);
    await logSkip(db, e, e.stepIds[0], "step_deleted");
    await logSkip(db, e, e.stepIds[0], null);
    expect(await skippedShown(e.sequence.id)).toEqual([1, 0]);

    await recordSend(db, e.enrollmentId, e.stepIds[1]);
    await logSkip(db, e, e.stepIds[1]);
    await db.enrollmentEvent.create({ data: { type: "step_skipped", contactId: e.contact.id, sequenceId: e.sequence.id, enrollmentId: e.enrollmentId, reason: "contact_bounced" } });
    expect(await skippedShown(e.sequence.id)).toEqual([1, 0]);

    // Many in one statement, duplicates included.
    const other = await enrolled(1);
    const skip = { type: "step_skipped" as const, contactId: other.contact.id, sequenceId: other.sequence.id, enrollmentId: other.enrollmentId, stepId: other.stepIds[0] };
    await db.enrollmentEvent.createMany({ data: [{ ...skip, reason: "contact_bounced" }, { ...skip, reason: "enrollment_paused" }, { ...skip, reason: "sequence_draft" }] });
    expect(await skippedShown(other.sequence.id)).toEqual([1]);
  });

  it("a send record removed makes the step's skip count again", async () => {
    const e = await enrolled();
    await logSkip(db, e, e.stepIds[0]);
    const send = await recordSend(db, e.enrollmentId, e.stepIds[0]);
    expect(await skippedShown(e.sequence.id)).toEqual([0, 0]);
    await db.stepSend.delete({ where: { id: send.id } });
    expect(await skippedShown(e.sequence.id)).toEqual([1, 0]);
  });

  it("a deleted contact's skips still count: the contact is soft-deleted and the log kept", async () => {
    const e = await enrolled();
    await logSkip(db, e, e.stepIds[1]);
    await deleteContact(db, { contactId: e.contact.id, deletedBy: "test@example.com" });
    expect(await db.enrollment.findUniqueOrThrow({ where: { id: e.enrollmentId } })).toMatchObject({ status: "contact_deleted" });
    expect(await skippedShown(e.sequence.id)).toEqual([0, 1]);
  });

  it("skips removed from the log, or an enrollment deleted, stop counting (only possible with the log's guard off)", async () => {
    const e = await enrolled();
    const kept = await enrolled();
    const first = await logSkip(db, e, e.stepIds[0]);
    await logSkip(db, e, e.stepIds[0], "enrollment_paused");
    await logSkip(db, e, e.stepIds[1]);
    await recordSend(db, e.enrollmentId, e.stepIds[1]);
    await logSkip(db, kept, kept.stepIds[0]);
    await db.$executeRaw`ALTER TABLE "EnrollmentEvent" DISABLE TRIGGER "enrollment_event_no_update_delete"`;
    try {
      await db.enrollmentEvent.delete({ where: { id: first.id } });
      expect(await skippedShown(e.sequence.id)).toEqual([1, 0]);
      // A skip rewritten as a sequence pause no longer counts; rewritten back, it does.
      const skipsOfFirstStep = { enrollmentId: e.enrollmentId, stepId: e.stepIds[0] };
      await db.enrollmentEvent.updateMany({ where: skipsOfFirstStep, data: { reason: "sequence_paused" } });
      expect(await skippedShown(e.sequence.id)).toEqual([0, 0]);
      await db.enrollmentEvent.updateMany({ where: skipsOfFirstStep, data: { reason: "contact_bounced" } });
      expect(await skippedShown(e.sequence.id)).toEqual([1, 0]);

      // Deleting the enrollment sets its events' enrollment to NULL and cascades to its skipped steps.
      await db.stepSend.deleteMany({ where: { enrollmentId: e.enrollmentId } });
      expect(await skippedShown(e.sequence.id)).toEqual([1, 1]);
      await db.enrollment.delete({ where: { id: e.enrollmentId } });
    } finally {
      await db.$executeRaw`ALTER TABLE "EnrollmentEvent" ENABLE TRIGGER "enrollment_event_no_update_delete"`;
    }
    expect(await skippedShown(e.sequence.id)).toEqual([0, 0]);
    expect(await skippedShown(kept.sequence.id)).toEqual([1, 0]);
  });
});

describe("skipped steps under concurrent writers", () => {
  it("a skip logged while a send of the step is uncommitted waits for it, then does not count", async () => {
    const e = await enrolled();
    const send = await heldOpen((tx) => recordSend(tx, e.enrollmentId, e.stepIds[0]));
    const skip = logSkip(db, e, e.stepIds[0]);
    await waitForLockWaiters(1);
    await send.commit();
    await skip;
    expect(await skippedShown(e.sequence.id)).toEqual([0, 0]);
  });

  it("a send while a skip of the step is uncommitted waits for it, then takes the skip off", async () => {
    const e = await enrolled();
    const skip = await heldOpen((tx) => logSkip(tx, e, e.stepIds[0]));
    const send = recordSend(db, e.enrollmentId, e.stepIds[0]);
    await waitForLockWaiters(1);
    await skip.commit();
    await send;
    expect(await skippedShown(e.sequence.id)).toEqual([0, 0]);
  });

  it("two skips of one step logged at once count once; one rolled back leaves the other counted", async () => {
    const e = await enrolled();
    const first = await heldOpen((tx) => logSkip(tx, e, e.stepIds[0]));
    const second = logSkip(db, e, e.stepIds[0], "enrollment_paused");
    await waitForLockWaiters(1);
    await first.commit();
    await second;
    expect(await skippedShown(e.sequence.id)).toEqual([1, 0]);

    const rolledBack = await heldOpen((tx) => logSkip(tx, e, e.stepIds[1]));
    const third = logSkip(db, e, e.stepIds[1]);
    await waitForLockWaiters(1);
    await rolledBack.rollback();
    await third;
    expect(await skippedShown(e.sequence.id)).toEqual([1, 1]);
  });
});

describe("skipped steps through a random history", () => {
  /** Deterministic, so that a failure can be replayed. */
  function prng(seed: number) {
    let state = seed >>> 0;
    const next = () => (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    return { int: (n: number) => Math.floor(next() * n), pick: <T>(xs: T[]) => xs[Math.floor(next() * xs.length)] };
  }

  it("match the count from the log after every few changes", async () => {
    const random = prng(20261206);
    const enrollments: Enrolled[] = [];
    for (let i = 0; i < 3; i++) {
      const first = await enrolled(3);
      enrollments.push(first);
      for (let j = 0; j < 5; j++) {
        const contact = await makeContact(db);
        const result = await enrollContact(db, { contactId: contact.id, sequenceId: first.sequence.id, source: "manual" });
        if (result.outcome !== "enrolled") throw new Error(result.outcome);
        enrollments.push({ ...first, contact, enrollmentId: result.enrollmentId });
      }
    }
    const reasons = ["contact_bounced", "enrollment_paused", "step_deleted", "sequence_paused", "sequence_draft", null];
    const operations: Record<string, () => Promise<unknown>> = {
      skip: () => {
        const e = random.pick(enrollments);
        return logSkip(db, e, random.pick(e.stepIds), random.pick(reasons));
      },
      skipMany: () => {
        const sequenceId = random.pick(enrollments).sequence.id;
        const data = Array.from({ length: 2 + random.int(4) }, () => {
          const e = random.pick(enrollments.filter((x) => x.sequence.id === sequenceId));
          return { type: "step_skipped" as const, contactId: e.contact.id, sequenceId, enrollmentId: e.enrollmentId, stepId: random.pick(e.stepIds), reason: random.pick(reasons) };
        });
        return db.enrollmentEvent.createMany({ data });
      },
      send: () => {
        const e = random.pick(enrollments);
        return recordSend(db, e.enrollmentId, random.pick(e.stepIds)).catch(() => "already sent");
      },
      unsend: () => {
        const e = random.pick(enrollments);
        return db.stepSend.deleteMany({ where: { enrollmentId: e.enrollmentId, stepId: random.pick(e.stepIds) } });
      },
      fold: () => db.$executeRaw`SELECT "sequence_counters_fold"(${random.pick(enrollments).sequence.id})`,
      deleteStep: () => db.sequenceStep.update({ where: { id: random.pick(random.pick(enrollments).stepIds) }, data: { deletedAt: new Date() } }),
    };
    const mix = ["skip", "skip", "skip", "skipMany", "send", "send", "unsend", "fold", "deleteStep"];
    const done = new Set<string>();
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 12; i++) {
        const name = random.pick(mix);
        done.add(name);
        await operations[name]();
      }
      for (const sequenceId of new Set(enrollments.map((e) => e.sequence.id))) await skippedShown(sequenceId);
    }
    // Every kind of change happened, and both skips that count and skips a send took off are there.
    expect([...done].sort()).toEqual(Object.keys(operations).sort());
    expect(await db.skippedStep.count({ where: { sent: false } })).toBeGreaterThan(0);
    expect(await db.skippedStep.count({ where: { sent: true } })).toBeGreaterThan(0);
  }, 60_000);
});
