/**
 * Crash points: the send path fails at each point (before the claim, after
 * the claim before delivery, after delivery before marking sent, and the
 * transport failing either way) and is retried, by calling sendStep again and
 * through real runs with the local executor's retries and the self-healing
 * cron. At most one delivery per (enrollment, step), and every enrollment
 * ends (or keeps moving) once the clock advances.
 *
 * Faults are injected around the real code: a proxy on the Prisma client the
 * app uses (getDb) and a recording transport; nothing in lib/ is changed.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { getDb, replaceDb } from "../../lib/db/client";
import type { Db } from "../../lib/db/prisma";
import { setTransport, TransientDeliveryError } from "../../lib/email/transports";
import { CatcherTransport } from "../../lib/email/transports/catcher";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { enrollMany } from "../../lib/sequences/enroll-many";
import { planNextStep, sendStep } from "../../lib/sequences/run-step";
import { plannedSend } from "../support/plan";
import { resetDb } from "../support/db";
import { makeContact, makeSequence } from "../support/factories";
import { CLAIM_INSERT, connectionLost, instrumentDb } from "../support/fault-db";
import { duplicates, recordingTransport, type RecordingTransport } from "../support/fault-transport";
import { worstCaseBackoffMs } from "@stepwise/inngest-local";
import { startHarness, type Harness } from "../support/run-harness";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** The statement that marks a delivered send sent (lib/sequences/run-step.ts, deliver). */
const MARK_SENT = `UPDATE "StepSend" SET "status" = 'sent'`;

type Point = "begin-fails" | "claim-fails" | "after-claim" | "after-delivery" | "not-accepted" | "unknown-outcome";

/** The faults still to fire, by point: each fires on whichever operation reaches it first. */
const armed = new Map<Point, number>();
function arm(point: Point, times = 1) {
  armed.set(point, (armed.get(point) ?? 0) + times);
}
function fires(point: Point): boolean {
  const left = armed.get(point) ?? 0;
  if (left === 0) return false;
  armed.set(point, left - 1);
  return true;
}

let h: Harness;
let transport: RecordingTransport;
let appDb: Db;

beforeEach(async () => {
  // The injected failures are logged by the SDK and the app; expected here.
  vi.spyOn(console, "error").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
  h = await startHarness();
  appDb = getDb();
  await resetDb(appDb);
  armed.clear();
  transport = recordingTransport(new CatcherTransport(appDb));
  transport.fault = () => {
    if (fires("not-accepted")) return { error: new TransientDeliveryError("connection refused (simulated)"), delivered: false };
    if (fires("unknown-outcome")) return { error: new Error("connection reset after DATA (simulated)"), delivered: true };
    return undefined;
  };
  setTransport(transport);
  // Every Inngest step (plan, send, complete, heal) goes through getDb(): give it the faulty client.
  replaceDb(instrumentDb(appDb, {
    onTransactionStart: () => {
      if (fires("begin-fails")) throw connectionLost("BEGIN");
    },
    beforeQuery: (_ctx, statement) => {
      if (statement.includes(CLAIM_INSERT) && fires("claim-fails")) throw connectionLost("claim insert");
      if (statement.includes(MARK_SENT) && fires("after-delivery")) throw connectionLost("marking the send sent");
    },
    onTransactionCommitted: (ctx) => {
      if (ctx.statements.some((s) => s.includes(CLAIM_INSERT)) && fires("after-claim")) throw connectionLost("right after the claim committed");
    },
    beforeBatch: () => {
      // The only batch on the send path marks a send failed, after a delivery that failed.
      if (fires("after-delivery")) throw connectionLost("marking the send failed");
    },
  }));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await h.stop();
  replaceDb(appDb);
});

const faultyDb = () => getDb();

async function enrolled(steps = 1) {
  const contact = await makeContact(appDb);
  const sequence = await makeSequence(appDb, {
    steps: Array.from({ length: steps }, (_, i) => ({ subject: `Step ${i + 1}`, delayAmount: i === 0 ? 0 : 1, delayUnit: i === 0 ? ("minutes" as const) : ("days" as const) })),
  });
  const result = await enrollContact(appDb, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
  if (result.outcome !== "enrolled") throw new Error(result.outcome);
  return { contact, sequence, enrollmentId: result.enrollmentId, stepIds: sequence.steps.map((s) => s.id) };
}

const deliveriesOf = (enrollmentId: string, stepId: string) => transport.countByKey().get(`${enrollmentId}:${stepId}`) ?? 0;

describe("sendStep crashing at each point, then retried", () => {
  // What the retry finds, and how many messages the step ends with.
  const cases: { point: Point; label: string; first: "throws" | "failed"; record: string; retry: string; delivered: number }[] = [
    { point: "begin-fails", label: "before the claim: the database is unreachable", first: "throws", record: "none", retry: "sent", delivered: 1 },
    { point: "claim-fails", label: "before the claim: the claim insert fails and rolls back", first: "throws", record: "none", retry: "sent", delivered: 1 },
    { point: "after-claim", label: "after the claim, before delivery", first: "throws", record: "claimed", retry: "already_handled", delivered: 0 },
    { point: "after-delivery", label: "after delivery, before marking sent", first: "throws", record: "claimed", retry: "already_handled", delivered: 1 },
    { point: "not-accepted", label: "the transport refuses the message (not accepted)", first: "throws", record: "failed", retry: "sent", delivered: 1 },
    { point: "unknown-outcome", label: "the transport fails after accepting (outcome unknown)", first: "failed", record: "failed", retry: "already_handled", delivered: 1 },
  ];

  it.each(cases)("$label: at most one delivery, and the enrollment moves on", async ({ point, first, record, retry, delivered }) => {
    const { enrollmentId, stepIds } = await enrolled(2);
    const step = await plannedSend(appDb, enrollmentId);
    expect(step.stepId).toBe(stepIds[0]);
    arm(point);

    if (first === "throws") await expect(sendStep(faultyDb(), step)).rejects.toThrow();
    else expect(await sendStep(faultyDb(), step)).toMatchObject({ outcome: "failed" });
    const send = await appDb.stepSend.findUnique({ where: { enrollmentId_stepId: { enrollmentId, stepId: step.stepId } } });
    expect(send?.status ?? "none").toBe(record);

    // Retried twice (an Inngest retry, then a duplicate run): never a second message.
    expect((await sendStep(faultyDb(), step)).outcome).toBe(retry);
    expect((await sendStep(faultyDb(), step)).outcome).toBe(retry === "sent" ? "already_handled" : retry);
    expect(deliveriesOf(enrollmentId, stepIds[0])).toBe(delivered);

    // Not stuck: the next plan is the second step, due a day after the first.
    const plan = await planNextStep(faultyDb(), { enrollmentId });
    expect(plan).toMatchObject({ kind: "step", stepId: stepIds[1] });
  });
});

describe("runs crashing at each point, with the executor's retries and self-healing", () => {
  /** Every enrollment of the test, with what each of its steps must end with. */
  async function expectSettled(expectations: { enrollmentId: string; stepIds: string[]; delivered: number[] }[]) {
    for (const { enrollmentId, stepIds, delivered } of expectations) {
      expect(stepIds.map((stepId) => deliveriesOf(enrollmentId, stepId))).toEqual(delivered);
      const enrollment = await appDb.enrollment.findUniqueOrThrow({ where: { id: enrollmentId } });
      expect(enrollment.status).toBe("completed");
    }
    expect(duplicates(transport)).toEqual([]);
  }

  it.each([
    { point: "begin-fails" as const, delivered: [1, 1, 1] },
    { point: "claim-fails" as const, delivered: [1, 1, 1] },
    { point: "after-claim" as const, delivered: [0, 1, 1] },
    { point: "after-delivery" as const, delivered: [1, 1, 1] },
    { point: "not-accepted" as const, delivered: [1, 1, 1] },
    { point: "unknown-outcome" as const, delivered: [1, 1, 1] },
  ])("$point once on step 1: the run's retry handles it and the enrollment completes", async ({ point, delivered }) => {
    arm(point);
    const { enrollmentId, stepIds } = await enrolled(3);
    await h.executor.runUntilIdle();
    await h.executor.advance(3 * DAY);
    await expectSettled([{ enrollmentId, stepIds, delivered }]);
    expect(h.executor.runs({ functionId: "stepwise-run-enrollment" }).map((r) => r.status)).toEqual(["completed"]);
  });

  it.each([
    // The database stays unreachable for longer than the run's 5 attempts.
    { point: "begin-fails" as const, label: "the database refuses every attempt of step 1" },
    { point: "claim-fails" as const, label: "every claim of step 1 fails" },
    // The mail server is down for longer than the run's attempts: nothing was accepted, so nothing may be lost.
    { point: "not-accepted" as const, label: "the transport refuses every attempt of step 1" },
  ])("$label: the run fails, and after recovery the self-healing job delivers every step once", async ({ point }) => {
    const { enrollmentId, stepIds } = await enrolled(3);
    arm(point, 1_000);
    await h.executor.runUntilIdle();
    // Inngest's retries take their backoff (15 s, 30 s, 1 m, 2 m, 5 m + jitter: under 12 minutes).
    expect(h.executor.runs({ functionId: "stepwise-run-enrollment" }).map((r) => r.status)).toEqual(["running"]);
    await h.executor.advance(worstCaseBackoffMs(5));
    expect(h.executor.runs({ functionId: "stepwise-run-enrollment" }).map((r) => r.status)).toEqual(["failed"]);
    expect(deliveriesOf(enrollmentId, stepIds[0])).toBe(0);

    armed.clear();
    // The cron runs every 5 minutes and restarts runs overdue by 15.
    await h.executor.advance(30 * MINUTE);
    await h.executor.advance(3 * DAY);
    await expectSettled([{ enrollmentId, stepIds, delivered: [1, 1, 1] }]);
  });

  it("faults on many enrollments at once: every step at most once, every enrollment completes", async () => {
    const all = await Promise.all(Array.from({ length: 6 }, () => enrolled(2)));
    // Each point fires twice, on whichever operations reach it first.
    for (const point of ["begin-fails", "claim-fails", "after-claim", "after-delivery", "not-accepted", "unknown-outcome"] as const) arm(point, 2);
    await h.executor.runUntilIdle();
    await h.executor.advance(30 * MINUTE);
    await h.executor.advance(2 * DAY);
    for (const { enrollmentId, stepIds } of all) {
      for (const stepId of stepIds) expect(deliveriesOf(enrollmentId, stepId)).toBeLessThanOrEqual(1);
      expect((await appDb.enrollment.findUniqueOrThrow({ where: { id: enrollmentId } })).status).toBe("completed");
    }
    expect(duplicates(transport)).toEqual([]);
    expect(Object.fromEntries(armed)).toEqual({ "begin-fails": 0, "claim-fails": 0, "after-claim": 0, "after-delivery": 0, "not-accepted": 0, "unknown-outcome": 0 });
  });

  it("faults on a cohort run (enrolled together): every step at most once, every enrollment completes", async () => {
    const { sequence } = await enrolled(2);
    const contacts = await Promise.all(Array.from({ length: 8 }, () => makeContact(appDb)));
    const results = await enrollMany(appDb, { pairs: contacts.map((c) => ({ contactId: c.id, sequenceId: sequence.id })), source: "manual" });
    const members = results.map((r) => (r.outcome === "enrolled" ? r.enrollmentId : ""));
    // Each point fires twice, on whichever members' operations reach it first; failing members go to runs of their own.
    for (const point of ["begin-fails", "claim-fails", "after-claim", "after-delivery", "not-accepted", "unknown-outcome"] as const) arm(point, 2);
    await h.executor.runUntilIdle();
    await h.executor.advance(30 * MINUTE);
    await h.executor.advance(2 * DAY);
    expect(h.executor.runs({ functionId: "stepwise-run-enrollment-cohort" }).map((r) => r.status)).toEqual(["completed"]);
    for (const enrollmentId of members) {
      for (const stepId of sequence.steps.map((s) => s.id)) expect(deliveriesOf(enrollmentId, stepId)).toBeLessThanOrEqual(1);
      expect((await appDb.enrollment.findUniqueOrThrow({ where: { id: enrollmentId } })).status).toBe("completed");
    }
    expect(duplicates(transport)).toEqual([]);
    expect(Object.fromEntries(armed)).toEqual({ "begin-fails": 0, "claim-fails": 0, "after-claim": 0, "after-delivery": 0, "not-accepted": 0, "unknown-outcome": 0 });
  });
});
