import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "../../lib/db/client";
import type { Db } from "../../lib/db/prisma";
import { AppError } from "../../lib/errors";
import { setEventSender, type OutgoingEvent } from "../../lib/events/publish";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { createSequence, duplicateSequence, updateSequenceSettings } from "../../lib/sequences/sequence-mutations";
import { getSequenceStats } from "../../lib/sequences/stats";
import { activateSequence, archiveSequence, pauseSequence, resumeSequence } from "../../lib/sequences/status-transitions";
import { addStep, deleteStep, reorderSteps, updateStep } from "../../lib/sequences/step-mutations";
import { addTrigger, removeTrigger } from "../../lib/sequences/trigger-mutations";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";
import { startHarness, type Harness } from "../support/run-harness";
import { publishNow } from "../support/publish-draft";
import { testDatabaseUrl } from "../support/database-url";

// Server actions read the session and revalidate Next's cache: both stand-ins
// here, so the actions' own wiring (role, schema, domain call) is what runs.
const session = vi.hoisted(() => ({ role: null as null | "viewer" | "marketer" | "admin" }));
vi.mock("../../lib/auth/session", async () => {
  const { AppError } = await import("../../lib/errors");
  const { hasRole } = await import("../../lib/auth/roles");
  return {
    requireUser: async (role: "viewer" | "marketer" | "admin" = "viewer") => {
      if (!session.role) throw new AppError("unauthenticated", "Please sign in.");
      if (!hasRole(session.role, role)) throw new AppError("forbidden", "You do not have permission to do that.");
      return { id: "u1", email: "u@example.com", name: "U", role: session.role };
    },
  };
});
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

process.env.DATABASE_URL ??= testDatabaseUrl();

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const db = testDb();

const validationError = (fieldErrors: Record<string, unknown>) =>
  expect.objectContaining({ code: "validation", fieldErrors: expect.objectContaining(fieldErrors) });
const conflict = (message: RegExp) => expect.objectContaining({ code: "conflict", message: expect.stringMatching(message) });

/** A draft built the way the builder builds it. */
async function draftWithSteps(client: Db, steps: { subject: string; delayAmount: number; delayUnit: "minutes" | "hours" | "days" }[]) {
  const { id } = await createSequence(client, { name: "Onboarding", description: "", exitOnReply: true, reentryPolicy: "never" });
  for (const step of steps) await addStep(client, { sequenceId: id, body: `Body of ${step.subject}`, ...step });
  return id;
}

const liveSteps = (sequenceId: string) =>
  db.sequenceStep.findMany({ where: { sequenceId, deletedAt: null }, orderBy: { position: "asc" } });

describe("builder mutations", () => {
  let events: ReturnType<typeof recordEvents>;
  beforeEach(async () => {
    await resetDb();
    events = recordEvents();
    session.role = "marketer";
  });
  afterEach(() => events.restore());

  it("creates a draft from valid settings", async () => {
    const { id } = await createSequence(db, { name: "  Welcome  ", description: "Hi", exitOnReply: false, reentryPolicy: "after_exit" });
    expect(await db.sequence.findUniqueOrThrow({ where: { id } })).toMatchObject({
      name: "Welcome",
      description: "Hi",
      status: "draft",
      exitOnReply: false,
      reentryPolicy: "after_exit",
    });
  });

  it("invalid settings write nothing and report the fields", async () => {
    await expect(createSequence(db, { name: "", description: "x".repeat(501), exitOnReply: true, reentryPolicy: "never" })).rejects.toEqual(
      validationError({ name: expect.any(Array), description: expect.any(Array) }),
    );
    expect(await db.sequence.count()).toBe(0);

    const id = await draftWithSteps(db, []);
    await expect(
      updateSequenceSettings(db, { sequenceId: id, name: "x".repeat(121), description: "", exitOnReply: true, reentryPolicy: "never" }),
    ).rejects.toEqual(validationError({ name: ["At most 120 characters"] }));
    expect((await db.sequence.findUniqueOrThrow({ where: { id } })).name).toBe("Onboarding");
  });

  it.each([
    [400, "days", "Delay must be between 0 and 365 days"],
    [8761, "hours", "Delay must be between 0 and 8,760 hours"],
    [525_601, "minutes", "Delay must be between 0 and 525,600 minutes"],
  ] as const)("a delay of %i %s is refused on add and update, and nothing is written", async (delayAmount, delayUnit, message) => {
    const id = await draftWithSteps(db, [{ subject: "One", delayAmount: 1, delayUnit: "days" }]);
    const [step] = await liveSteps(id);

    await expect(addStep(db, { sequenceId: id, subject: "Two", body: "b", delayAmount, delayUnit })).rejects.toEqual(
      validationError({ delayAmount: [message] }),
    );
    await expect(updateStep(db, { sequenceId: id, stepId: step.id, subject: "Changed", body: "b", delayAmount, delayUnit })).rejects.toEqual(
      validationError({ delayAmount: [message] }),
    );
    expect(await liveSteps(id)).toEqual([step]);
  });

  it("the longest allowed delay per unit is accepted", async () => {
    const id = await draftWithSteps(db, [
      { subject: "A", delayAmount: 365, delayUnit: "days" },
      { subject: "B", delayAmount: 8760, delayUnit: "hours" },
      { subject: "C", delayAmount: 525_600, delayUnit: "minutes" },
    ]);
    expect((await liveSteps(id)).map((s) => [s.subject, s.position])).toEqual([["A", 0], ["B", 1], ["C", 2]]);
  });

  it("the server actions return field errors for bad input and refuse viewers", async () => {
    const { createSequenceAction } = await import("../../lib/actions/sequences/create-sequence-action");
    const { addStepAction } = await import("../../lib/actions/sequences/add-step-action");
    const id = await draftWithSteps(db, []);

    const bad = await addStepAction({ sequenceId: id, subject: "", body: "b", delayAmount: 400, delayUnit: "days" });
    expect(bad).toMatchObject({ ok: false, code: "validation", fieldErrors: { subject: ["Write a subject"], delayAmount: ["Delay must be between 0 and 365 days"] } });
    expect(await db.sequenceStep.count()).toBe(0);

    session.role = "viewer";
    expect(await createSequenceAction({ name: "Sneaky" })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await addStepAction({ sequenceId: id, subject: "s", body: "b", delayAmount: 1, delayUnit: "days" })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await db.sequence.count()).toBe(1);
    expect(await db.sequenceStep.count()).toBe(0);

    session.role = "marketer";
    const created = await createSequenceAction({ name: "Fine" });
    expect(created).toMatchObject({ ok: true, data: { id: expect.any(String) } });
  });

  it("activation is refused without steps, and without triggers unless manual only", async () => {
    const id = await draftWithSteps(db, []);
    await expect(activateSequence(db, { sequenceId: id })).rejects.toEqual(conflict(/Add at least one step\..*Add an entry trigger/));
    await expect(activateSequence(db, { sequenceId: id, manualOnly: true })).rejects.toEqual(conflict(/Add at least one step\./));

    await addStep(db, { sequenceId: id, subject: "Hi", body: "Hello", delayAmount: 0, delayUnit: "minutes" });
    const refused = activateSequence(db, { sequenceId: id });
    await expect(refused).rejects.toEqual(conflict(/Add an entry trigger, or choose manual enrollment only/));
    await expect(refused).rejects.not.toEqual(conflict(/step/));
    expect((await db.sequence.findUniqueOrThrow({ where: { id } })).status).toBe("draft");

    await expect(activateSequence(db, { sequenceId: id, manualOnly: true })).resolves.toEqual({ status: "active" });
    await expect(activateSequence(db, { sequenceId: id })).rejects.toEqual(conflict(/already active/));
  });

  it("activation with a trigger needs no confirmation; a step without a body blocks it", async () => {
    const id = await draftWithSteps(db, [{ subject: "Hi", delayAmount: 0, delayUnit: "minutes" }]);
    await addTrigger(db, { sequenceId: id, trigger: { type: "score_threshold", scoreThreshold: 50 } });
    const [step] = await liveSteps(id);
    await db.sequenceStep.update({ where: { id: step.id }, data: { body: "  " } }); // behind the builder's back
    await expect(activateSequence(db, { sequenceId: id })).rejects.toEqual(conflict(/Step 1 needs a body/));
    await db.sequenceStep.update({ where: { id: step.id }, data: { body: "Hello" } });
    await expect(activateSequence(db, { sequenceId: id })).resolves.toEqual({ status: "active" });
  });

  it("status transitions refuse what does not apply", async () => {
    const id = await draftWithSteps(db, [{ subject: "Hi", delayAmount: 0, delayUnit: "minutes" }]);
    await expect(pauseSequence(db, { sequenceId: id })).rejects.toEqual(conflict(/Only an active sequence can be paused/));
    await expect(resumeSequence(db, { sequenceId: id })).rejects.toEqual(conflict(/Only a paused sequence can be resumed/));

    await activateSequence(db, { sequenceId: id, manualOnly: true });
    await expect(archiveSequence(db, { sequenceId: id })).rejects.toEqual(conflict(/Pause the sequence before archiving/));
    const contact = await makeContact(db);
    await enrollContact(db, { contactId: contact.id, sequenceId: id, source: "manual" });
    await pauseSequence(db, { sequenceId: id });
    await expect(activateSequence(db, { sequenceId: id })).rejects.toEqual(conflict(/paused\. Resume it instead/));
    await expect(archiveSequence(db, { sequenceId: id })).rejects.toEqual(conflict(/1 contact is still in this sequence/));

    await db.enrollment.updateMany({ where: { sequenceId: id }, data: { status: "removed", exitReason: "removed" } });
    await expect(archiveSequence(db, { sequenceId: id })).resolves.toEqual({ status: "archived" });
    await expect(activateSequence(db, { sequenceId: id, manualOnly: true })).rejects.toEqual(conflict(/cannot be activated again/));
    await expect(resumeSequence(db, { sequenceId: id })).rejects.toEqual(conflict(/archived/));
    await expect(addStep(db, { sequenceId: id, subject: "s", body: "b", delayAmount: 1, delayUnit: "days" })).rejects.toEqual(conflict(/archived/));
    expect(await db.sequenceStep.count({ where: { sequenceId: id } })).toBe(1);
  });

  it("a draft with nobody in it can be archived straight away", async () => {
    const id = await draftWithSteps(db, []);
    await expect(archiveSequence(db, { sequenceId: id })).resolves.toEqual({ status: "archived" });
    await expect(archiveSequence(db, { sequenceId: id })).rejects.toEqual(conflict(/already archived/));
  });

  it("deleting a step is soft, and an active sequence keeps at least one step", async () => {
    const id = await draftWithSteps(db, [
      { subject: "One", delayAmount: 0, delayUnit: "minutes" },
      { subject: "Two", delayAmount: 1, delayUnit: "days" },
    ]);
    const [one, two] = await liveSteps(id);
    await activateSequence(db, { sequenceId: id, manualOnly: true });

    await deleteStep(db, { sequenceId: id, stepId: one.id });
    expect((await db.sequenceStep.findUniqueOrThrow({ where: { id: one.id } })).deletedAt).toBeInstanceOf(Date);
    await expect(deleteStep(db, { sequenceId: id, stepId: two.id })).rejects.toEqual(conflict(/at least one step/));
    await expect(deleteStep(db, { sequenceId: id, stepId: one.id })).rejects.toMatchObject({ code: "not_found" });
    expect((await liveSteps(id)).map((s) => s.subject)).toEqual(["Two"]);
  });

  it("adds steps at the end and refuses a reorder built from a stale list", async () => {
    const id = await draftWithSteps(db, [
      { subject: "A", delayAmount: 0, delayUnit: "minutes" },
      { subject: "B", delayAmount: 1, delayUnit: "days" },
      { subject: "C", delayAmount: 1, delayUnit: "days" },
    ]);
    const [a, b, c] = await liveSteps(id);
    await reorderSteps(db, { sequenceId: id, stepIds: [c.id, a.id, b.id] });
    expect((await liveSteps(id)).map((s) => [s.subject, s.position])).toEqual([["C", 0], ["A", 1], ["B", 2]]);

    await expect(reorderSteps(db, { sequenceId: id, stepIds: [a.id, b.id] })).rejects.toEqual(conflict(/changed since/));
    await expect(reorderSteps(db, { sequenceId: id, stepIds: [a.id, b.id, a.id] })).rejects.toEqual(validationError({ stepIds: ["A step appears twice"] }));
    const other = await makeSequence(db);
    await expect(reorderSteps(db, { sequenceId: id, stepIds: [a.id, b.id, other.steps[0].id] })).rejects.toEqual(conflict(/changed since/));
    expect((await liveSteps(id)).map((s) => s.subject)).toEqual(["C", "A", "B"]);

    await addStep(db, { sequenceId: id, subject: "D", body: "d", delayAmount: 2, delayUnit: "hours" });
    expect((await liveSteps(id)).map((s) => s.subject)).toEqual(["C", "A", "B", "D"]);
  });

  it("adds and removes triggers; a typed tag name is created once, matched case-insensitively", async () => {
    const id = await draftWithSteps(db, []);
    const existing = await db.tag.create({ data: { name: "Trial" } });
    await addTrigger(db, { sequenceId: id, trigger: { type: "tag_added", tagName: "trial" } });
    await addTrigger(db, { sequenceId: id, trigger: { type: "tag_added", tagName: "webinar" } });
    await addTrigger(db, { sequenceId: id, trigger: { type: "signup", signupSource: "" } });
    await addTrigger(db, { sequenceId: id, trigger: { type: "signup", signupSource: "pricing-page" } });
    const score = await addTrigger(db, { sequenceId: id, trigger: { type: "score_threshold", scoreThreshold: 40 } });

    expect((await db.tag.findMany({ orderBy: { name: "asc" } })).map((t) => t.name)).toEqual(["Trial", "webinar"]);
    const triggers = await db.sequenceTrigger.findMany({ where: { sequenceId: id }, orderBy: { createdAt: "asc" } });
    expect(triggers.map((t) => [t.type, t.tagId, t.scoreThreshold, t.signupSource])).toEqual([
      ["tag_added", existing.id, null, null],
      ["tag_added", expect.any(String), null, null],
      ["signup", null, null, null],
      ["signup", null, null, "pricing-page"],
      ["score_threshold", null, 40, null],
    ]);

    await expect(addTrigger(db, { sequenceId: id, trigger: { type: "tag_added", tagId: existing.id } })).rejects.toEqual(conflict(/already has that trigger/));
    await expect(addTrigger(db, { sequenceId: id, trigger: { type: "signup", signupSource: "Pricing-Page" } })).rejects.toEqual(conflict(/already has/));
    await expect(addTrigger(db, { sequenceId: id, trigger: { type: "tag_added", tagId: crypto.randomUUID() } })).rejects.toEqual(
      validationError({ "trigger.tagId": ["That tag no longer exists."] }),
    );
    await expect(addTrigger(db, { sequenceId: id, trigger: { type: "score_threshold", scoreThreshold: 0 } })).rejects.toEqual(
      validationError({ "trigger.scoreThreshold": ["At least 1"] }),
    );
    await expect(addTrigger(db, { sequenceId: id, trigger: { type: "tag_added" } })).rejects.toEqual(validationError({ "trigger.tagName": ["Pick or type a tag"] }));
    expect(await db.sequenceTrigger.count()).toBe(5);

    await removeTrigger(db, { sequenceId: id, triggerId: score.id });
    await expect(removeTrigger(db, { sequenceId: id, triggerId: score.id })).rejects.toMatchObject({ code: "not_found" });
    expect(await db.sequenceTrigger.count()).toBe(4);
  });

  it("concurrent triggers naming one tag in different cases create it once", async () => {
    const ids = await Promise.all([draftWithSteps(db, []), draftWithSteps(db, []), draftWithSteps(db, [])]);
    await Promise.all(ids.map((sequenceId, i) => addTrigger(db, { sequenceId, trigger: { type: "tag_added", tagName: ["VIP", "vip", "Vip"][i] } })));
    const tags = await db.tag.findMany();
    expect(tags).toHaveLength(1);
    expect(await db.sequenceTrigger.count({ where: { tagId: tags[0].id } })).toBe(3);
  });

  it("duplicate copies live steps and triggers as a draft named Copy of ...", async () => {
    const tag = await db.tag.create({ data: { name: "vip" } });
    const source = await makeSequence(db, {
      name: "Hot leads",
      description: "For the keen",
      exitOnReply: false,
      reentryPolicy: "after_completion",
      steps: [
        { subject: "First", body: "1", delayAmount: 0, delayUnit: "minutes" },
        { subject: "Gone", body: "x", delayAmount: 1, delayUnit: "days" },
        { subject: "Second", body: "2", delayAmount: 3, delayUnit: "hours" },
      ],
      triggers: { create: [{ type: "tag_added", tagId: tag.id }, { type: "score_threshold", scoreThreshold: 70 }] },
    });
    await db.sequenceStep.update({ where: { id: source.steps[1].id }, data: { deletedAt: new Date() } });
    const contact = await makeContact(db);
    await enrollContact(db, { contactId: contact.id, sequenceId: source.id, source: "manual" });

    const { id } = await duplicateSequence(db, { sequenceId: source.id });

    const copy = await db.sequence.findUniqueOrThrow({
      where: { id },
      include: { steps: { orderBy: { position: "asc" } }, triggers: { orderBy: { createdAt: "asc" } }, enrollments: true },
    });
    expect(copy).toMatchObject({ name: "Copy of Hot leads", description: "For the keen", status: "draft", exitOnReply: false, reentryPolicy: "after_completion" });
    expect(copy.steps.map((s) => [s.position, s.subject, s.body, s.delayAmount, s.delayUnit, s.deletedAt])).toEqual([
      [0, "First", "1", 0, "minutes", null],
      [1, "Second", "2", 3, "hours", null],
    ]);
    expect(copy.steps.map((s) => s.id)).not.toContain(source.steps[0].id);
    expect(copy.triggers.map((t) => [t.type, t.tagId, t.scoreThreshold])).toEqual([["tag_added", tag.id, null], ["score_threshold", null, 70]]);
    expect(copy.enrollments).toEqual([]);
    expect((await db.sequence.findUniqueOrThrow({ where: { id: source.id } })).status).toBe("active");

    // Archived sequences can still be copied.
    const archived = await makeSequence(db, { name: "Old", status: "archived" });
    const again = await duplicateSequence(db, { sequenceId: archived.id });
    expect(await db.sequence.findUniqueOrThrow({ where: { id: again.id } })).toMatchObject({ name: "Copy of Old", status: "draft" });
  });

  it("resume restarts the run of every active enrollment, in chunks of 500, with a resume key", async () => {
    const sequence = await makeSequence(db, { status: "paused", exitOnReply: false });
    const emails = Array.from({ length: 1_003 }, (_, i) => `r${i}@example.com`);
    await db.contact.createMany({ data: emails.map((email) => ({ email })) });
    const contacts = await db.contact.findMany({ select: { id: true } });
    await db.enrollment.createMany({
      data: contacts.map((c, i) => ({
        contactId: c.id,
        sequenceId: sequence.id,
        source: "manual",
        // One ended and one paused enrollment are not restarted.
        status: i === 0 ? ("completed" as const) : i === 1 ? ("paused" as const) : ("active" as const),
        exitReason: i === 0 ? ("completed" as const) : null,
      })),
    });
    const batches: OutgoingEvent[][] = [];
    setEventSender(async (events) => {
      batches.push(events);
    });

    const result = await resumeSequence(db, { sequenceId: sequence.id });

    expect(result).toEqual({ status: "active", restarted: 1_001 });
    expect(batches.map((b) => b.length)).toEqual([500, 500, 1]);
    const active = await db.enrollment.findMany({ where: { sequenceId: sequence.id, status: "active" }, select: { id: true } });
    const sent = batches.flat();
    expect(new Set(sent.map((e) => e.data.enrollmentId))).toEqual(new Set(active.map((e) => e.id)));
    const keys = new Set(sent.map((e) => String(e.data.runKey).split(":").slice(1).join(":")));
    expect([...keys]).toEqual([expect.stringMatching(/^resume:\d+$/)]);
    expect(sent[0]).toMatchObject({ name: "stepwise/enrollment.started", data: { sequenceId: sequence.id, exitOnReply: false } });
    expect(sent[0].id).toBe(`enrollment-run-${sent[0].data.runKey}`);
  });
});

describe("pause, resume and reorder with real runs", () => {
  let h: Harness;
  const appDb = () => getDb();
  const inbox = async (to: string) =>
    (await appDb().caughtMessage.findMany({ where: { toAddress: to }, orderBy: { createdAt: "asc" } })).map((m) => m.subject);

  beforeEach(async () => {
    h = await startHarness();
    await resetDb(appDb());
  });
  afterEach(async () => {
    await h.stop();
  });

  async function activeSequence(steps: { subject: string; delayAmount: number; delayUnit: "minutes" | "hours" | "days" }[]) {
    const id = await draftWithSteps(appDb(), steps);
    await activateSequence(appDb(), { sequenceId: id, manualOnly: true });
    return id;
  }
  async function enroll(contactId: string, sequenceId: string) {
    const result = await enrollContact(appDb(), { contactId, sequenceId, source: "manual" });
    await h.executor.runUntilIdle();
    return result;
  }

  it("pause stops sends; resume sends the overdue step once and the contact continues where it was", async () => {
    const sequenceId = await activeSequence([
      { subject: "One", delayAmount: 0, delayUnit: "minutes" },
      { subject: "Two", delayAmount: 1, delayUnit: "days" },
      { subject: "Three", delayAmount: 1, delayUnit: "days" },
    ]);
    const contact = await makeContact(appDb());
    await enroll(contact.id, sequenceId);
    expect(await inbox(contact.email)).toEqual(["One"]);

    await pauseSequence(appDb(), { sequenceId });
    await h.executor.advance(2 * DAY);
    expect(await inbox(contact.email)).toEqual(["One"]);
    const late = await makeContact(appDb());
    expect(await enroll(late.id, sequenceId)).toEqual({ outcome: "refused", reason: "sequence_not_active" });

    await resumeSequence(appDb(), { sequenceId });
    await h.executor.runUntilIdle();
    expect(await inbox(contact.email)).toEqual(["One", "Two"]);

    await h.executor.advance(DAY - MINUTE);
    expect(await inbox(contact.email)).toEqual(["One", "Two"]);
    await h.executor.advance(MINUTE);
    await h.executor.advance(5 * DAY);
    expect(await inbox(contact.email)).toEqual(["One", "Two", "Three"]);
    const enrollment = await appDb().enrollment.findFirstOrThrow({ where: { contactId: contact.id } });
    expect(enrollment.status).toBe("completed");
    expect(await appDb().stepSend.count({ where: { enrollmentId: enrollment.id } })).toBe(3);
  });

  it("pause and resume before the next step is due: the old and the new run send each step once", async () => {
    const sequenceId = await activeSequence([
      { subject: "One", delayAmount: 0, delayUnit: "minutes" },
      { subject: "Two", delayAmount: 1, delayUnit: "days" },
      { subject: "Three", delayAmount: 1, delayUnit: "days" },
    ]);
    const contact = await makeContact(appDb());
    await enroll(contact.id, sequenceId);

    await pauseSequence(appDb(), { sequenceId });
    await h.executor.advance(HOUR);
    await resumeSequence(appDb(), { sequenceId });
    await h.executor.advance(5 * DAY);

    expect(await inbox(contact.email)).toEqual(["One", "Two", "Three"]);
  });

  it("reorder changes the send order for contacts who have not reached the moved steps", async () => {
    const sequenceId = await activeSequence([
      { subject: "A", delayAmount: 0, delayUnit: "minutes" },
      { subject: "B", delayAmount: 1, delayUnit: "days" },
      { subject: "C", delayAmount: 1, delayUnit: "days" },
      { subject: "D", delayAmount: 1, delayUnit: "days" },
    ]);
    const early = await makeContact(appDb());
    await enroll(early.id, sequenceId);
    expect(await inbox(early.email)).toEqual(["A"]);

    const [a, b, c, d] = await appDb().sequenceStep.findMany({ where: { sequenceId }, orderBy: { position: "asc" } });
    await reorderSteps(appDb(), { sequenceId, stepIds: [a.id, b.id, d.id, c.id] });
    // Someone is in the sequence: the reorder is a draft until published.
    await publishNow(appDb(), sequenceId);
    const late = await makeContact(appDb());
    await enroll(late.id, sequenceId);

    await h.executor.advance(10 * DAY);
    expect(await inbox(early.email)).toEqual(["A", "B", "D", "C"]);
    expect(await inbox(late.email)).toEqual(["A", "B", "D", "C"]);
  });
});

describe("getSequenceStats", () => {
  beforeEach(async () => {
    await resetDb();
  });

  type Row = { status: "active" | "completed" | "removed" | "opted_out" | "replied"; sent?: number[]; failed?: number[]; skipped?: [number, string][] };

  it("counts waiting, sent, skipped and failed per live step, and exits by reason", async () => {
    const sequence = await makeSequence(db, { steps: [{ subject: "S1" }, { subject: "Deleted" }, { subject: "S2" }, { subject: "S3" }] });
    const [s1, deleted, s2, s3] = sequence.steps;
    await db.sequenceStep.update({ where: { id: deleted.id }, data: { deletedAt: new Date() } });
    const step = [s1, s2, s3];

    const rows: Row[] = [
      { status: "active" }, // waits for S1
      { status: "active", sent: [0] }, // S2
      { status: "active", sent: [0, 1] }, // S3
      { status: "active", failed: [0] }, // a failed send is handled: S2
      { status: "active", sent: [0, 2] }, // S3 was moved first, then back: S2
      { status: "active", sent: [0], skipped: [[1, "sequence_paused"]] }, // paused, not skipped: S2
      { status: "active", sent: [0, 1, 2] }, // all sent, completing: waits for nothing
      { status: "completed", sent: [0, 1, 2] },
      { status: "removed", sent: [0], skipped: [[1, "enrollment_removed"], [1, "enrollment_removed"]] },
      { status: "opted_out", sent: [0], skipped: [[1, "contact_unsubscribed"]] },
      { status: "replied", sent: [0, 1], skipped: [[1, "contact_bounced"]] }, // sent after all: not a skip
    ];
    for (const row of rows) {
      const contact = await makeContact(db);
      const enrollment = await db.enrollment.create({
        data: { contactId: contact.id, sequenceId: sequence.id, source: "manual", status: row.status, exitReason: row.status === "active" ? null : row.status },
      });
      for (const [indexes, status] of [[row.sent ?? [], "sent"], [row.failed ?? [], "failed"]] as const) {
        for (const i of indexes) await db.stepSend.create({ data: { enrollmentId: enrollment.id, stepId: step[i].id, status } });
      }
      for (const [i, reason] of row.skipped ?? []) {
        await db.enrollmentEvent.create({ data: { type: "step_skipped", contactId: contact.id, sequenceId: sequence.id, enrollmentId: enrollment.id, stepId: step[i].id, reason } });
      }
    }
    // Another sequence's numbers stay out.
    const other = await makeSequence(db);
    const bystander = await makeContact(db);
    await db.enrollment.create({ data: { contactId: bystander.id, sequenceId: other.id, source: "manual" } });

    const stats = await getSequenceStats(db, sequence.id);

    expect(stats.steps.map(({ number, subject, waiting, sent, skipped, failed }) => ({ number, subject, waiting, sent, skipped, failed }))).toEqual([
      { number: 1, subject: "S1", waiting: 1, sent: 9, skipped: 0, failed: 1 },
      { number: 2, subject: "S2", waiting: 4, sent: 4, skipped: 2, failed: 0 },
      { number: 3, subject: "S3", waiting: 1, sent: 3, skipped: 0, failed: 0 },
    ]);
    expect(stats.exits).toEqual({ completed: 1, replied: 1, opted_out: 1, removed: 1, contact_deleted: 0, bounced: 0 });
    expect(stats).toMatchObject({ active: 7, paused: 0, completed: 1, status: "active" });
  });

  it("an empty sequence has no steps and zero counts; an unknown one is not found", async () => {
    const { id } = await createSequence(db, { name: "Empty" });
    expect(await getSequenceStats(db, id)).toMatchObject({ steps: [], active: 0, completed: 0, exits: { completed: 0, removed: 0 } });
    await expect(getSequenceStats(db, crypto.randomUUID())).rejects.toMatchObject({ code: "not_found" } satisfies Partial<AppError>);
  });

  it("the stats route answers signed-in users only, with 404 for unknown sequences", async () => {
    const { GET } = await import("../../app/api/sequences/[id]/stats/route");
    const sequence = await makeSequence(db);
    const call = (id: string) => GET(new Request(`http://localhost/api/sequences/${id}/stats`), { params: Promise.resolve({ id }) });

    session.role = null;
    const anonymous = await call(sequence.id);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ error: { code: "unauthenticated", message: "Please sign in." } });

    session.role = "viewer";
    expect((await call(crypto.randomUUID())).status).toBe(404);
    expect((await call("not-a-uuid")).status).toBe(404);
    const ok = await call(sequence.id);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("cache-control")).toBe("no-store");
    expect(await ok.json()).toMatchObject({ sequenceId: sequence.id, steps: [{ number: 1, waiting: 0, sent: 0 }] });
  });
});
