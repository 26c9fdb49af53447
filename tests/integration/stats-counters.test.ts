/**
 * The stats panel reads running totals (SequenceCounter) and
 * Enrollment.nextStepId, both kept by database triggers. Here a seeded
 * random mix of everything that moves them (enrolling one or many, sends
 * that succeed, fail or are retried, exits, pauses, step edits, skips) is
 * checked against the counts computed straight from the tables, the way
 * the panel used to.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unsubscribeContact } from "../../lib/contacts/unsubscribe";
import type { Db } from "../../lib/db/prisma";
import { setTransport, TransientDeliveryError, type MailTransport } from "../../lib/email/transports";
import { CatcherTransport } from "../../lib/email/transports/catcher";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { enrollMany } from "../../lib/sequences/enroll-many";
import { exitContact } from "../../lib/sequences/exit-contact";
import { advanceEnrollment, completeEnrollment, planNextStep, sendStep } from "../../lib/sequences/run-step";
import { getSequenceStats } from "../../lib/sequences/stats";
import { addStep, deleteStep, reorderSteps } from "../../lib/sequences/step-mutations";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";
import { publishNow } from "../support/publish-draft";

process.env.STEPWISE_SIGNING_SECRET ??= "stats-counters-test-secret-0123456789";

const db = testDb();
const events = recordEvents();

/**
 * The panel's numbers computed from the tables themselves (the former
 * implementation). "Waiting" is each active enrollment's next step computed
 * afresh by its definition (enrollment_next_step: by step identity, from the
 * step it waits on), not the column the triggers keep.
 */
async function countedFromTables(client: Db, sequenceId: string) {
  const steps = await client.sequenceStep.findMany({ where: { sequenceId, deletedAt: null }, orderBy: [{ position: "asc" }, { createdAt: "asc" }], select: { id: true } });
  const stepIds = steps.map((s) => s.id);
  const byStatus = await client.enrollment.groupBy({ by: ["status"], where: { sequenceId }, _count: { _all: true } });
  const waiting = stepIds.length
    ? await client.$queryRaw<{ stepId: string; n: number }[]>`
        SELECT nxt AS "stepId", count(*)::int AS n FROM "Enrollment" e
        CROSS JOIN LATERAL enrollment_next_step(e."id", e."sequenceId") nxt
        WHERE e."sequenceId" = ${sequenceId} AND e."status" = 'active' AND nxt IS NOT NULL GROUP BY nxt`
    : [];
  const sends = await client.stepSend.groupBy({ by: ["stepId", "status"], where: { stepId: { in: stepIds } }, _count: { _all: true } });
  const skipped = stepIds.length
    ? await client.$queryRaw<{ stepId: string; n: number }[]>`
        SELECT ev."stepId", count(DISTINCT ev."enrollmentId")::int AS n FROM "EnrollmentEvent" ev
        WHERE ev."sequenceId" = ${sequenceId} AND ev."type" = 'step_skipped' AND ev."stepId" = ANY(${stepIds}::text[])
          AND NOT starts_with(coalesce(ev."reason", ''), 'sequence_')
          AND NOT EXISTS (SELECT 1 FROM "StepSend" ss WHERE ss."enrollmentId" = ev."enrollmentId" AND ss."stepId" = ev."stepId")
        GROUP BY ev."stepId"`
    : [];
  const status = (s: string) => byStatus.find((g) => g.status === s)?._count._all ?? 0;
  const send = (stepId: string, s: string) => sends.find((g) => g.stepId === stepId && g.status === s)?._count._all ?? 0;
  return {
    steps: stepIds.map((stepId) => ({
      stepId,
      waiting: waiting.find((w) => w.stepId === stepId)?.n ?? 0,
      sent: send(stepId, "sent"),
      skipped: skipped.find((w) => w.stepId === stepId)?.n ?? 0,
      failed: send(stepId, "failed"),
    })),
    exits: { completed: status("completed"), replied: status("replied"), opted_out: status("opted_out"), removed: status("removed"), contact_deleted: status("contact_deleted"), bounced: status("bounced") },
    active: status("active"),
    paused: status("paused"),
  };
}

async function expectStatsMatch(sequenceId: string) {
  const stats = await getSequenceStats(db, sequenceId);
  const shown = {
    steps: stats.steps.map(({ stepId, waiting, sent, skipped, failed }) => ({ stepId, waiting, sent, skipped, failed })),
    exits: stats.exits,
    active: stats.active,
    paused: stats.paused,
  };
  expect(shown).toEqual(await countedFromTables(db, sequenceId));
}

/** Deterministic, so that a failure can be replayed. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: T[]) => xs[Math.floor(next() * xs.length)] };
}

let failNext: "none" | "transient" | "permanent" = "none";
const catcher = () => new CatcherTransport(db);
const flakyTransport: MailTransport = {
  name: "flaky",
  async deliver(message) {
    const mode = failNext;
    failNext = "none";
    if (mode === "transient") throw new TransientDeliveryError("not accepted (test)");
    if (mode === "permanent") throw new Error("outcome unknown (test)");
    return catcher().deliver(message);
  },
};

beforeAll(async () => {
  await resetDb();
  setTransport(flakyTransport);
});
afterAll(() => {
  setTransport(null);
  events.restore();
});

describe("stats from running totals", () => {
  // Longer than the default: each step edit of a sequence someone is in is also published (preview, then publish).
  it("match the counts from the tables through a random mix of every change", async () => {
    const random = prng(20261127);
    const sequences = await Promise.all([
      // No delays: sends check that a step is due, and this test sends every step at once.
      makeSequence(db, { reentryPolicy: "after_exit", steps: [{ delayAmount: 0 }, { delayAmount: 0 }, { delayAmount: 0 }] }),
      makeSequence(db, { reentryPolicy: "never", steps: [{ delayAmount: 0 }, { delayAmount: 0 }] }),
    ]);
    const contacts = await Promise.all(Array.from({ length: 30 }, () => makeContact(db)));
    const liveOf = async (sequenceId: string) =>
      db.enrollment.findMany({ where: { sequenceId, status: { in: ["active", "paused"] } }, select: { id: true, contactId: true, status: true }, orderBy: { id: "asc" } });
    const liveStepIds = async (sequenceId: string) =>
      (await db.sequenceStep.findMany({ where: { sequenceId, deletedAt: null }, orderBy: [{ position: "asc" }, { createdAt: "asc" }], select: { id: true } })).map((s) => s.id);

    const operations: Record<string, (sequenceId: string) => Promise<unknown>> = {
      enrollOne: (sequenceId) => enrollContact(db, { contactId: random.pick(contacts).id, sequenceId, source: "manual" }),
      enrollMany: (sequenceId) =>
        enrollMany(db, { pairs: Array.from({ length: 3 + random.int(20) }, () => ({ contactId: random.pick(contacts).id, sequenceId })), source: "import" }),
      send: async (sequenceId) => {
        const active = (await liveOf(sequenceId)).filter((e) => e.status === "active");
        if (active.length === 0) return;
        const enrollment = random.pick(active);
        const plan = await planNextStep(db, { enrollmentId: enrollment.id });
        if (plan.kind === "complete") return completeEnrollment(db, { enrollmentId: enrollment.id });
        if (plan.kind !== "step") return;
        failNext = random.pick(["none", "none", "none", "transient", "permanent"]);
        return sendStep(db, { enrollmentId: enrollment.id, stepId: plan.stepId, version: plan.version }).catch(() => "retryable failure");
      },
      retryFailed: async (sequenceId) => {
        const failed = await db.stepSend.findFirst({ where: { status: "failed", retryable: true, step: { sequenceId } } });
        // A retry is what a run does when it wakes: plan again, send what is due.
        if (failed) await advanceEnrollment(db, { enrollmentId: failed.enrollmentId }).catch(() => "retryable failure");
      },
      exit: async (sequenceId) => {
        const live = await liveOf(sequenceId);
        if (live.length === 0) return;
        const enrollment = random.pick(live);
        const choice = random.int(3);
        if (choice === 0) return exitContact(db, { contactId: enrollment.contactId, sequenceId, reason: random.pick(["removed", "replied", "bounced"] as const) });
        if (choice === 1) return completeEnrollment(db, { enrollmentId: enrollment.id });
        return unsubscribeContact(db, { contactId: enrollment.contactId, source: "admin" }).then(() =>
          db.contact.update({ where: { id: enrollment.contactId }, data: { status: "subscribed", unsubscribedAt: null } }),
        );
      },
      pauseOrResume: async (sequenceId) => {
        const live = await liveOf(sequenceId);
        if (live.length === 0) return;
        const enrollment = random.pick(live);
        await db.enrollment.update({ where: { id: enrollment.id }, data: { status: enrollment.status === "active" ? "paused" : "active" } });
      },
      skip: async (sequenceId) => {
        const live = await liveOf(sequenceId);
        const steps = await liveStepIds(sequenceId);
        if (live.length === 0 || steps.length === 0) return;
        const enrollment = random.pick(live);
        await db.enrollmentEvent.create({
          data: { type: "step_skipped", contactId: enrollment.contactId, sequenceId, enrollmentId: enrollment.id, stepId: random.pick(steps), reason: random.pick(["contact_bounced", "sequence_paused", "step_deleted"]) },
        });
      },
      // With contacts in the sequence an edit is a draft: each is published at once, as the builder's Publish does.
      addStep: async (sequenceId) => {
        const { draft } = await addStep(db, { sequenceId, subject: "Added", body: "Body", delayAmount: 1, delayUnit: "days" });
        if (draft) await publishNow(db, sequenceId);
      },
      deleteStep: async (sequenceId) => {
        const steps = await liveStepIds(sequenceId);
        if (steps.length > 1 && (await deleteStep(db, { sequenceId, stepId: random.pick(steps) })).draft) await publishNow(db, sequenceId);
      },
      reorder: async (sequenceId) => {
        const steps = await liveStepIds(sequenceId);
        for (let i = steps.length - 1; i > 0; i--) {
          const j = random.int(i + 1);
          [steps[i], steps[j]] = [steps[j], steps[i]];
        }
        if ((await reorderSteps(db, { sequenceId, stepIds: steps })).draft) await publishNow(db, sequenceId);
      },
      fold: (sequenceId) => db.$executeRaw`SELECT "sequence_counters_fold"(${sequenceId})`,
    };
    // Weighted: sends and enrollments are what happens most.
    const mix = ["enrollOne", "enrollMany", "send", "send", "send", "send", "retryFailed", "exit", "pauseOrResume", "skip", "addStep", "deleteStep", "reorder", "fold"];

    const done: Record<string, number> = {};
    for (let round = 0; round < 12; round++) {
      for (let i = 0; i < 15; i++) {
        const name = random.pick(mix);
        done[name] = (done[name] ?? 0) + 1;
        await operations[name](random.pick(sequences).id);
      }
      for (const sequence of sequences) await expectStatsMatch(sequence.id);
    }
    // The mix did exercise every kind of change, and the numbers are not trivial.
    expect(Object.keys(done).sort()).toEqual(Object.keys(operations).sort());
    const totals = await Promise.all(sequences.map((s) => getSequenceStats(db, s.id)));
    expect(totals.flatMap((t) => t.steps).some((s) => s.sent > 0 && s.failed >= 0)).toBe(true);
    expect(totals.some((t) => t.active > 0 && t.steps.some((s) => s.waiting > 0))).toBe(true);
  }, 90_000);

  it("a read folds many deltas into one row per key, and the numbers stay the same", async () => {
    const sequence = await makeSequence(db, { steps: [{ delayAmount: 0 }, { delayAmount: 1 }] });
    const contacts = await Promise.all(Array.from({ length: 12 }, () => makeContact(db)));
    for (const contact of contacts) await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
    for (let i = 0; i < 60; i++) {
      const enrollment = await db.enrollment.findFirstOrThrow({ where: { sequenceId: sequence.id }, skip: i % contacts.length });
      await db.enrollment.update({ where: { id: enrollment.id }, data: { status: enrollment.status === "active" ? "paused" : "active" } });
    }
    const rows = () => db.sequenceCounter.count({ where: { sequenceId: sequence.id } });
    const before = await rows();
    expect(before).toBeGreaterThan(60);

    const first = await getSequenceStats(db, sequence.id);
    await db.$executeRaw`SELECT "sequence_counters_fold"(${sequence.id})`;
    expect(await rows()).toBeLessThanOrEqual(4);
    expect(await getSequenceStats(db, sequence.id)).toEqual(first);
    await expectStatsMatch(sequence.id);
  });
});
