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
import { addStep, reorderSteps } from "../../lib/sequences/step-mutations";
import { exitContact } from "../../lib/sequences/exit-contact";
import { loadSteps } from "../../lib/sequences/versions/load";
import { discardDraft, getDraftPreview, publishDraft } from "../../lib/sequences/versions/publish-draft";
import { describeGroup } from "../../lib/sequences/versions/preview-groups";
import { planPublish, publishVersion } from "../../lib/sequences/versions/publish";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";
import { plannedSend } from "../support/plan";
import { publishNow } from "../support/publish-draft";

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
    await publishNow(db, sequence.id);
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

const liveRows = (sequenceId: string) =>
  db.sequenceStep.findMany({ where: { sequenceId }, orderBy: [{ position: "asc" }, { id: "asc" }], select: { id: true, subject: true, delayAmount: true, position: true, deletedAt: true } });

describe("drafts", () => {
  it("edits of a sequence someone is in go to a draft: the live steps, places and runs stay as they are until Publish", async () => {
    const { sequence, enrollmentId } = await enrolled();
    await sendStep(db, await plannedSend(db, enrollmentId));
    const rows = await liveRows(sequence.id);
    const placeBefore = await db.enrollment.findUniqueOrThrow({ where: { id: enrollmentId } });

    const added = await addStep(db, { sequenceId: sequence.id, subject: "Four", body: "4", delayAmount: 1, delayUnit: "days" });
    await updateStep(db, { sequenceId: sequence.id, stepId: sequence.steps[1].id, subject: "Two, edited", body: "2", delayAmount: 5, delayUnit: "days" });
    await deleteStep(db, { sequenceId: sequence.id, stepId: sequence.steps[2].id });
    await reorderSteps(db, { sequenceId: sequence.id, stepIds: [added.id, sequence.steps[0].id, sequence.steps[1].id] });

    expect(added.draft).toBe(true);
    expect(await liveRows(sequence.id)).toEqual(rows);
    expect(await db.enrollment.findUniqueOrThrow({ where: { id: enrollmentId } })).toEqual(placeBefore);
    expect(await db.sequenceVersion.count()).toBe(0);
    expect(events.sent.filter((e) => e.name === "stepwise/sequence.published" && e.data.sequenceId === sequence.id)).toEqual([]);
    // The run still sends the live step 2, with the live text, at the live time.
    clock += DAY;
    expect(await sendStep(db, await plannedSend(db, enrollmentId))).toMatchObject({ outcome: "sent" });
    expect(await db.caughtMessage.findFirst({ where: { subject: "Two" } })).not.toBeNull();

    // Publishing writes the draft into the rows (the added step under its draft id) and clears it.
    await publishNow(db, sequence.id);
    const after = await liveRows(sequence.id);
    expect(after.filter((r) => !r.deletedAt).map((r) => r.subject)).toEqual(["Four", "One", "Two, edited"]);
    expect(after.find((r) => r.id === sequence.steps[2].id)?.deletedAt).not.toBeNull();
    expect(after.some((r) => r.id === added.id)).toBe(true);
    expect((await db.sequence.findUniqueOrThrow({ where: { id: sequence.id } })).draft).toBeNull();
    const version = await db.sequenceVersion.findFirstOrThrow({ where: { sequenceId: sequence.id } });
    expect(version).toMatchObject({ number: 2, publishedBy: "tester@example.com" });
    expect(version.summary).toBe("Deleted step 3 · Added step 1 · Edited step 3 (subject, body, delay)");
  });

  it("a draft stays a draft when everyone leaves; a step added and deleted in it never reaches the rows", async () => {
    const { sequence, contact } = await enrolled();
    const extra = await addStep(db, { sequenceId: sequence.id, subject: "Extra", body: "x", delayAmount: 1, delayUnit: "days" });
    await exitContact(db, { contactId: contact.id, sequenceId: sequence.id, reason: "removed" });
    // No one is in it now, but the draft exists: edits keep going to it.
    await deleteStep(db, { sequenceId: sequence.id, stepId: extra.id });
    const { result } = await publishNow(db, sequence.id);
    expect(result).toMatchObject({ outcome: "published", version: null, counts: null });
    expect(await db.sequenceStep.count({ where: { id: extra.id } })).toBe(0);
    expect(await db.sequenceVersion.count()).toBe(0);
  });

  it("discarding a draft leaves the live steps as they were", async () => {
    const { sequence } = await enrolled();
    const rows = await liveRows(sequence.id);
    await deleteStep(db, { sequenceId: sequence.id, stepId: sequence.steps[0].id });
    await discardDraft(db, { sequenceId: sequence.id });
    expect(await liveRows(sequence.id)).toEqual(rows);
    expect((await db.sequence.findUniqueOrThrow({ where: { id: sequence.id } })).draft).toBeNull();
    await expect(discardDraft(db, { sequenceId: sequence.id })).rejects.toMatchObject({ code: "conflict" });
    await expect(getDraftPreview(db, { sequenceId: sequence.id, backfill: false })).rejects.toMatchObject({ code: "conflict" });
  });
});

describe("preview and publish", () => {
  async function fiveWaitingOnTwo() {
    const sequence = await makeSequence(db, { steps: [{ subject: "One", delayAmount: 0 }, { subject: "Two", delayAmount: 1 }, { subject: "Three", delayAmount: 2 }] });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const contact = await makeContact(db, { email: `c${i}@example.com` });
      const r = await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
      if (r.outcome !== "enrolled") throw new Error(r.outcome);
      await sendStep(db, await plannedSend(db, r.enrollmentId));
      await plannedSend(db, r.enrollmentId);
      ids.push(r.enrollmentId);
    }
    return { sequence, ids };
  }

  it("groups the moves with examples, and publishes exactly the plan previewed", async () => {
    const { sequence, ids } = await fiveWaitingOnTwo();
    clock += 2 * DAY; // step 3's delay (2 days) from the last send has just run out
    await deleteStep(db, { sequenceId: sequence.id, stepId: sequence.steps[1].id });
    const preview = await getDraftPreview(db, { sequenceId: sequence.id, backfill: false });
    expect(preview.groups).toHaveLength(1);
    const [group] = preview.groups;
    expect(group).toMatchObject({ kind: "moved_from_deleted", count: 5, overdue: 5, from: { number: 2 }, to: { number: 2, subject: "Three" } });
    expect(describeGroup(group, (d) => d.toISOString())).toBe(`5 waiting on deleted step 2 → step 2, due ${new Date(clock).toISOString()} (5 overdue → sent within a minute)`);

    const result = await publishDraft(db, { sequenceId: sequence.id, token: preview.token, backfill: false });
    expect(result).toMatchObject({ outcome: "published", version: 2 });
    const rows = await db.enrollment.findMany({ where: { id: { in: ids } } });
    for (const move of preview.plan.moves) {
      expect(rows.find((r) => r.id === move.enrollmentId)).toMatchObject({ waitingStepId: move.migration.to!.stepId, nextStepDueAt: move.migration.to!.dueAt, sequenceVersion: 2 });
    }
    const version = await db.sequenceVersion.findFirstOrThrow({ where: { sequenceId: sequence.id } });
    expect(version.plan).toEqual(preview.plan.counts);
    expect(events.sent.filter((e) => e.name === "stepwise/sequence.published" && e.data.sequenceId === sequence.id).map((e) => e.data)).toEqual([{ sequenceId: sequence.id, version: 2 }]);
  });

  it.each([
    ["a send", async (ids: string[]) => void (await sendStep(db, await plannedSend(db, ids[0])))],
    ["an exit", async (ids: string[]) => {
      const e = await db.enrollment.findUniqueOrThrow({ where: { id: ids[1] } });
      await exitContact(db, { contactId: e.contactId, sequenceId: e.sequenceId, reason: "removed" });
    }],
    ["a new enrollment", async (ids: string[]) => {
      const e = await db.enrollment.findUniqueOrThrow({ where: { id: ids[0] } });
      const contact = await makeContact(db);
      await enrollContact(db, { contactId: contact.id, sequenceId: e.sequenceId, source: "manual" });
    }],
    ["another draft edit", async (ids: string[]) => {
      const e = await db.enrollment.findUniqueOrThrow({ where: { id: ids[0] } });
      await addStep(db, { sequenceId: e.sequenceId, subject: "Later", body: "x", delayAmount: 1, delayUnit: "days" });
    }],
  ])("refuses to publish when %s happened since the preview: nothing is written, a fresh preview publishes", async (_what, change) => {
    const { sequence, ids } = await fiveWaitingOnTwo();
    clock += DAY;
    await updateStep(db, { sequenceId: sequence.id, stepId: sequence.steps[2].id, subject: "Three", body: "b", delayAmount: 4, delayUnit: "days" });
    const preview = await getDraftPreview(db, { sequenceId: sequence.id, backfill: false });
    await change(ids);
    const snapshot = async () => ({
      enrollments: await db.enrollment.findMany({ orderBy: { id: "asc" } }),
      steps: await liveRows(sequence.id),
      sequence: await db.sequence.findUniqueOrThrow({ where: { id: sequence.id } }),
      versions: await db.sequenceVersion.count(),
    });
    const before = await snapshot();
    const refused = await publishDraft(db, { sequenceId: sequence.id, token: preview.token, backfill: false });
    expect(refused.outcome).toBe("stale");
    expect(await snapshot()).toEqual(before);
    // The policy is part of the preview too.
    const fresh = await getDraftPreview(db, { sequenceId: sequence.id, backfill: false });
    expect(refused).toEqual({ outcome: "stale", token: fresh.token });
    expect(await publishDraft(db, { sequenceId: sequence.id, token: fresh.token, backfill: true })).toMatchObject({ outcome: "stale" });
    expect(await publishDraft(db, { sequenceId: sequence.id, token: fresh.token, backfill: false })).toMatchObject({ outcome: "published" });
  });

  it("\"also send to contacts already past it\": the inserted step is their next send, the step they waited on follows, nothing twice", async () => {
    const { sequence, ids } = await fiveWaitingOnTwo();
    const welcome = await addStep(db, { sequenceId: sequence.id, subject: "Welcome", body: "w", delayAmount: 0, delayUnit: "minutes" });
    await reorderSteps(db, { sequenceId: sequence.id, stepIds: [welcome.id, ...sequence.steps.map((s) => s.id)] });
    const skipPreview = await getDraftPreview(db, { sequenceId: sequence.id, backfill: false });
    expect(skipPreview.groups).toMatchObject([{ kind: "unchanged", count: 5, passing: 5 }]);
    const { preview } = await publishNow(db, sequence.id, { backfill: true });
    expect(preview.groups).toMatchObject([{ kind: "backfilled", count: 5, to: { number: 1, subject: "Welcome" } }]);

    for (const id of ids) {
      const first = await plannedSend(db, id);
      expect(first.stepId).toBe(welcome.id);
      expect(await sendStep(db, first)).toMatchObject({ outcome: "sent" });
      clock += DAY;
      const next = await plannedSend(db, id);
      expect(next.stepId).toBe(sequence.steps[1].id);
      clock -= DAY;
    }
    expect(await db.enrollmentEvent.count({ where: { type: "step_passed" } })).toBe(0);
  });

  it("a step passed under an earlier version is never sent when going back to an inserted one", async () => {
    const { sequence, ids } = await fiveWaitingOnTwo();
    // v2: "Early" added at the top without backfill: passed by everyone.
    const early = await addStep(db, { sequenceId: sequence.id, subject: "Early", body: "e", delayAmount: 0, delayUnit: "minutes" });
    await reorderSteps(db, { sequenceId: sequence.id, stepIds: [early.id, ...sequence.steps.map((s) => s.id)] });
    await publishNow(db, sequence.id);
    // v3: "Earlier" added above it, with backfill: sent, then straight back to step Two.
    const earlier = await addStep(db, { sequenceId: sequence.id, subject: "Earlier", body: "e", delayAmount: 0, delayUnit: "minutes" });
    await reorderSteps(db, { sequenceId: sequence.id, stepIds: [earlier.id, early.id, ...sequence.steps.map((s) => s.id)] });
    await publishNow(db, sequence.id, { backfill: true });
    const first = await plannedSend(db, ids[0]);
    expect(first.stepId).toBe(earlier.id);
    await sendStep(db, first);
    clock += DAY;
    expect((await plannedSend(db, ids[0])).stepId).toBe(sequence.steps[1].id);
  });
});

describe("version history", () => {
  it("records who published what and when, version by version", async () => {
    const { sequence } = await enrolled();
    await updateStep(db, { sequenceId: sequence.id, stepId: sequence.steps[0].id, subject: "Uno", body: "1", delayAmount: 0, delayUnit: "days" });
    await publishNow(db, sequence.id, { publishedBy: "ada@example.com" });
    clock += 1000;
    await addStep(db, { sequenceId: sequence.id, subject: "Four", body: "4", delayAmount: 1, delayUnit: "days" });
    await publishNow(db, sequence.id, { publishedBy: "grace@example.com" });
    const history = await db.sequenceVersion.findMany({ where: { sequenceId: sequence.id }, orderBy: { number: "asc" } });
    expect(history.map((v) => [v.number, v.publishedBy, v.summary])).toEqual([
      [2, "ada@example.com", "Edited step 1 (subject, body)"],
      [3, "grace@example.com", "Added step 4"],
    ]);
  });
});
