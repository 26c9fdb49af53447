/**
 * Opt-out and removal interleavings against the app's real run-enrollment
 * function, driven by the local executor in SDK checkpoint mode (production's
 * path: consecutive steps run inline in one request and are POSTed to the
 * executor) and with the real server's timing:
 * - the exit lands before the run exists (its start event is still in the
 *   pipeline, or arrives in the same batch as the cancel): the cancel finds
 *   no run, or is older than the run (D1), so it cancels nothing and only the
 *   database stops the run;
 * - the exit lands between two checkpointed steps (right after a message was
 *   handed over, before the step that follows runs);
 * - the exit lands while the run sleeps;
 * and its cancel event arrives at once, late (pipeline latency), or never.
 *
 * Whatever the interleaving: nothing is delivered after the exit committed,
 * nothing is delivered twice, the exit is recorded, and the run ends.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unsubscribeContact } from "../../lib/contacts/unsubscribe";
import { getDb } from "../../lib/db/client";
import type { Db } from "../../lib/db/prisma";
import { CatcherTransport } from "../../lib/email/transports/catcher";
import { setTransport } from "../../lib/email/transports";
import { setEventSender, type OutgoingEvent } from "../../lib/events/publish";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { exitContact } from "../../lib/sequences/exit-contact";
import { ENROLLMENT_STARTED } from "../../lib/sequences/run-events";
import { resetDb } from "../support/db";
import { makeContact, makeSequence } from "../support/factories";
import { instrumentDb } from "../support/fault-db";
import { duplicates, recordingTransport, type RecordingTransport } from "../support/fault-transport";
import { startHarness, type Harness } from "../support/run-harness";

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;
/** Runs per exit kind of the random interleavings (each drives a run through four days). */
const RUNS = 40;

type ExitKind = "opt-out" | "removal";
type Moment =
  | { kind: "before-run" }
  | { kind: "same-batch" }
  | { kind: "between-steps"; afterStep: number }
  | { kind: "while-sleeping"; atMs: number };
type Fate = { kind: "now" } | { kind: "late"; ms: number } | { kind: "lost" };

let h: Harness;
let transport: RecordingTransport;
let sequenceId: string;
let stepIds: string[];
const db = () => getDb();

/** Where the app's events go: to the executor now, later (pipeline latency), or nowhere. */
const pipeline = {
  exitFate: { kind: "now" } as Fate,
  holdStarts: false,
  heldStarts: [] as OutgoingEvent[],
  heldExits: [] as OutgoingEvent[],
  late: [] as { at: number; events: OutgoingEvent[] }[],
};
/** Called by the transport after a message of this enrollment was handed over. */
let afterDelivery: ((key: string) => Promise<void>) | undefined;

beforeAll(async () => {
  h = await startHarness();
  expect(h.executor.checkpointing).toBe(true);
  await resetDb(db());
  const inner = recordingTransport(new CatcherTransport(db()));
  transport = {
    ...inner,
    deliver: async (message) => {
      const result = await inner.deliver(message);
      await afterDelivery?.(message.idempotencyKey);
      return result;
    },
  };
  setTransport(transport);
  setEventSender(async (events) => {
    const starts = events.filter((e) => e.name === ENROLLMENT_STARTED);
    const exits = events.filter((e) => e.name !== ENROLLMENT_STARTED);
    if (starts.length > 0) {
      if (pipeline.holdStarts) pipeline.heldStarts.push(...starts);
      else await h.executor.send(starts);
    }
    if (exits.length === 0) return;
    const fate = pipeline.exitFate;
    if (pipeline.holdStarts) pipeline.heldExits.push(...exits);
    else if (fate.kind === "now") await h.executor.send(exits);
    else if (fate.kind === "late") pipeline.late.push({ at: h.clock.now() + fate.ms, events: exits });
  });
  const sequence = await makeSequence(db(), {
    steps: [
      { subject: "One", delayAmount: 0, delayUnit: "minutes" },
      { subject: "Two", delayAmount: 1, delayUnit: "days" },
      { subject: "Three", delayAmount: 1, delayUnit: "days" },
    ],
  });
  sequenceId = sequence.id;
  stepIds = sequence.steps.map((s) => s.id);
});

afterAll(async () => {
  await h.stop();
  console.info(`[fault] opt-out race, checkpoint mode: ${JSON.stringify(totals)}`);
});

const totals = { interleavings: 0, deliveries: 0, cancelledRuns: 0, checkpoints: 0 };

/** Advances the executor's clock by `ms`, handing over late events when they are due. */
async function drive(ms: number): Promise<void> {
  const end = h.clock.now() + ms;
  for (;;) {
    const due = pipeline.late.filter((l) => l.at <= h.clock.now());
    pipeline.late = pipeline.late.filter((l) => l.at > h.clock.now());
    for (const { events } of due) await h.executor.send(events);
    if (h.clock.now() >= end) break;
    const nextLate = Math.min(...pipeline.late.map((l) => l.at));
    await h.executor.advance(Math.min(end, nextLate) - h.clock.now());
  }
  await h.executor.runUntilIdle();
}

/** One interleaving: enroll, exit at `moment` with the cancel's `fate`, run four days, check. */
async function interleave(exitKind: ExitKind, moment: Moment, fate: Fate): Promise<void> {
  const contact = await makeContact(db());
  let exitCommittedAt = Number.NaN;
  const exitDb: Db = instrumentDb(db(), { onTransactionCommitted: () => (exitCommittedAt = performance.now()) });
  const exit = async () => {
    if (exitKind === "opt-out") await unsubscribeContact(exitDb, { contactId: contact.id, source: "one_click" });
    else await exitContact(exitDb, { contactId: contact.id, sequenceId, reason: "removed", detail: "fault suite" });
  };
  Object.assign(pipeline, { exitFate: fate, holdStarts: moment.kind === "before-run" || moment.kind === "same-batch", heldStarts: [], heldExits: [], late: [] });
  const deliveriesBefore = transport.deliveries.length;
  const checkpointsBefore = h.executor.stats.checkpoints;

  const enrolled = await enrollContact(db(), { contactId: contact.id, sequenceId, source: "manual" });
  if (enrolled.outcome !== "enrolled") throw new Error(`not enrolled: ${enrolled.outcome}`);
  const { enrollmentId } = enrolled;
  const keyOf = (step: number) => `${enrollmentId}:${stepIds[step]}`;

  if (moment.kind === "before-run" || moment.kind === "same-batch") {
    await exit();
    const { heldStarts, heldExits } = pipeline;
    pipeline.holdStarts = false;
    if (moment.kind === "same-batch") {
      // One batch: received together, so the cancel is not newer than the run (D1).
      await h.executor.send([...heldStarts, ...heldExits]);
    } else {
      // The cancel reached the server before the run existed: it found nothing to cancel.
      if (fate.kind === "now") await h.executor.send(heldExits);
      else if (fate.kind === "late") pipeline.late.push({ at: h.clock.now() + fate.ms, events: heldExits });
      await h.executor.send(heldStarts);
    }
  } else if (moment.kind === "between-steps") {
    const key = keyOf(moment.afterStep);
    afterDelivery = async (delivered) => {
      if (delivered !== key) return;
      afterDelivery = undefined;
      await exit();
    };
  }
  if (moment.kind === "while-sleeping") {
    await drive(moment.atMs);
    await exit();
  }
  await drive(4 * DAY);
  afterDelivery = undefined;

  // The exit committed and is what the enrollment says.
  expect(exitCommittedAt, "the exit never committed").not.toBeNaN();
  const enrollment = await db().enrollment.findUniqueOrThrow({ where: { id: enrollmentId } });
  expect(enrollment.status).toBe(exitKind === "opt-out" ? "opted_out" : "removed");
  // Nothing after the exit, nothing twice.
  const mine = transport.deliveries.slice(deliveriesBefore).filter((d) => d.key.startsWith(`${enrollmentId}:`));
  expect(mine.filter((d) => d.enteredAt > exitCommittedAt), "delivered after the exit committed").toEqual([]);
  expect(duplicates(transport).filter(([key]) => key.startsWith(`${enrollmentId}:`))).toEqual([]);
  if (moment.kind === "before-run" || moment.kind === "same-batch") expect(mine).toEqual([]);
  if (moment.kind === "between-steps") expect(mine.map((d) => d.key)).toEqual(stepIds.slice(0, moment.afterStep + 1).map((_, i) => keyOf(i)));
  // The run ended: cancelled by the event, or stopped by the database.
  const runs = h.executor.runs({ functionId: "run-enrollment" }).filter((r) => r.event.data.enrollmentId === enrollmentId);
  expect(runs.length).toBeGreaterThanOrEqual(1);
  for (const run of runs) expect(["completed", "cancelled"]).toContain(run.status);

  totals.interleavings++;
  totals.deliveries += mine.length;
  totals.cancelledRuns += runs.filter((r) => r.status === "cancelled").length;
  totals.checkpoints += h.executor.stats.checkpoints - checkpointsBefore;
}

describe.each<ExitKind>(["opt-out", "removal"])("a %s racing its run, in checkpoint mode with real-server timing", (exitKind) => {
  it("received before the run exists: cancels nothing, the database stops the run, nothing is sent", async () => {
    await interleave(exitKind, { kind: "before-run" }, { kind: "now" });
    const [run] = h.executor.runs({ functionId: "run-enrollment" }).slice(-1);
    expect(run.status).toBe("completed");
    expect(run.output).toMatchObject({ stopped: expect.any(String) });
  });

  it("in the same batch as the run's start: older than the run, ignored; nothing is sent", async () => {
    await interleave(exitKind, { kind: "same-batch" }, { kind: "now" });
    expect(h.executor.runs({ functionId: "run-enrollment" }).slice(-1)[0].status).toBe("completed");
  });

  it("landing between two checkpointed steps, its cancel lost: the next step finds the exit and sends nothing", async () => {
    await interleave(exitKind, { kind: "between-steps", afterStep: 0 }, { kind: "lost" });
    expect(h.executor.runs({ functionId: "run-enrollment" }).slice(-1)[0].status).toBe("completed");
  });

  it("landing between two checkpointed steps, its cancel at once: the run is cancelled after the step", async () => {
    await interleave(exitKind, { kind: "between-steps", afterStep: 1 }, { kind: "now" });
    expect(h.executor.runs({ functionId: "run-enrollment" }).slice(-1)[0].status).toBe("cancelled");
  });

  it(`holds in ${RUNS} random interleavings (moment of the exit, cancel now, late or lost)`, async () => {
    const arbMoment: fc.Arbitrary<Moment> = fc.oneof(
      fc.constant<Moment>({ kind: "before-run" }),
      fc.constant<Moment>({ kind: "same-batch" }),
      fc.integer({ min: 0, max: 2 }).map((afterStep): Moment => ({ kind: "between-steps", afterStep })),
      // Before the last step is due (day 2): after it the enrollment is complete and there is nothing to exit.
      fc.integer({ min: 0, max: 2 * DAY - HOUR }).map((atMs): Moment => ({ kind: "while-sleeping", atMs })),
    );
    const arbFate: fc.Arbitrary<Fate> = fc.oneof(
      fc.constant<Fate>({ kind: "now" }),
      fc.constant<Fate>({ kind: "lost" }),
      fc.oneof(fc.integer({ min: 1, max: 10 * SECOND }), fc.integer({ min: 1, max: 2 * DAY })).map((ms): Fate => ({ kind: "late", ms })),
    );
    await fc.assert(
      fc.asyncProperty(arbMoment, arbFate, (moment, fate) => interleave(exitKind, moment, fate)),
      { numRuns: RUNS, endOnFailure: true },
    );
    expect(totals.checkpoints, "the SDK checkpointed its steps").toBeGreaterThan(0);
  }, 600_000);
});
