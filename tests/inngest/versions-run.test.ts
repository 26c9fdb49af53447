/**
 * Editing a live sequence, through real runs on the local executor with the
 * clock advanced: each edit is published as a version, the waiting contacts
 * migrate (lib/sequences/versions/migrate.ts) and their runs wake and
 * re-plan. Nobody gets a step twice, early, or out of place.
 */
import { describe, expect, it } from "vitest";
import { getDb } from "../../lib/db/client";
import { enrollMany } from "../../lib/sequences/enroll-many";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { addStep, deleteStep, reorderSteps, updateStep } from "../../lib/sequences/step-mutations";
import { publishNow } from "../support/publish-draft";
import { makeContact, makeSequence } from "../support/factories";
import { harnessPerTest, type Harness } from "../support/run-harness";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let h: Harness;
const db = () => getDb();
harnessPerTest((started) => (h = started));

/** A 3-step sequence: now, +1 day, +2 days after that. */
function threeSteps() {
  return makeSequence(db(), {
    steps: [
      { subject: "One", delayAmount: 0, delayUnit: "minutes" },
      { subject: "Two", delayAmount: 1, delayUnit: "days" },
      { subject: "Three", delayAmount: 2, delayUnit: "days" },
    ],
  });
}

async function enrollAll(sequenceId: string, count: number) {
  const contacts = await Promise.all(Array.from({ length: count }, () => makeContact(db())));
  await enrollMany(db(), { pairs: contacts.map((c) => ({ contactId: c.id, sequenceId })), source: "manual" });
  await h.executor.runUntilIdle();
  return contacts;
}

/** Every message: subject and when, relative to `start`, per recipient. */
async function mailbox(start: number) {
  const messages = await db().caughtMessage.findMany({ orderBy: { createdAt: "asc" } });
  const byContact = new Map<string, { subject: string; at: number }[]>();
  for (const m of messages) byContact.set(m.toAddress, [...(byContact.get(m.toAddress) ?? []), { subject: m.subject, at: m.createdAt.getTime() - start }]);
  return byContact;
}

const subjectsOf = (list: { subject: string }[] | undefined) => (list ?? []).map((m) => m.subject);

describe("editing a live sequence", () => {
  it("a step inserted at the top while contacts wait on step 3 reaches none of them, and is recorded as passed", async () => {
    const start = h.clock.now();
    const sequence = await threeSteps();
    const contacts = await enrollAll(sequence.id, 5);
    await h.executor.advance(DAY + HOUR); // steps 1 and 2 sent; all wait on step 3

    const welcome = await addStep(db(), { sequenceId: sequence.id, subject: "Welcome", body: "Hi", delayAmount: 0, delayUnit: "minutes" });
    await reorderSteps(db(), { sequenceId: sequence.id, stepIds: [welcome.id, ...sequence.steps.map((s) => s.id)] });
    await publishNow(db(), sequence.id);
    await h.executor.runUntilIdle();
    // Someone enrolled after the edit starts at the new top.
    const [late] = await enrollAll(sequence.id, 1);
    await h.executor.advance(10 * DAY);

    const box = await mailbox(start);
    for (const c of contacts) {
      expect(box.get(c.email)?.map((m) => [m.subject, m.at])).toEqual([["One", 0], ["Two", DAY], ["Three", 3 * DAY]]);
    }
    // Welcome and One are both due at enrollment (same timestamp): the log's order says which went first.
    const lateSends = await db().enrollmentEvent.findMany({ where: { contactId: late.id, type: "step_sent" }, orderBy: { id: "asc" } });
    expect(lateSends.map((e) => e.reason)).toEqual(["Welcome", "One", "Two", "Three"]);
    const passed = await db().enrollmentEvent.findMany({ where: { type: "step_passed", stepId: welcome.id } });
    expect(passed.map((e) => e.contactId).sort()).toEqual(contacts.map((c) => c.id).sort());
    // Two edits in one draft (added, then moved to the top): one version, a step inserted behind them.
    expect(passed.map((e) => e.reason)).toEqual(Array(5).fill("inserted_behind"));
    const versions = await db().sequenceVersion.findMany({ where: { sequenceId: sequence.id }, orderBy: { number: "asc" } });
    expect(versions.map((v) => [v.number, v.summary])).toEqual([[2, "Added step 1"]]);
  });

  it("deleting the step 100 contacts wait on: each gets the next step once, its delay counted from the last send", async () => {
    const start = h.clock.now();
    const sequence = await threeSteps();
    const contacts = await enrollAll(sequence.id, 100);
    await h.executor.advance(12 * HOUR); // step 1 sent at 0; all wait on step 2 (due day 1)

    await deleteStep(db(), { sequenceId: sequence.id, stepId: sequence.steps[1].id });
    await publishNow(db(), sequence.id);
    await h.executor.runUntilIdle();
    // Documented time: step 3's own delay (2 days) from the last send (0).
    await h.executor.advance(2 * DAY - 12 * HOUR - MINUTE);
    let box = await mailbox(start);
    expect(contacts.every((c) => subjectsOf(box.get(c.email)).join() === "One")).toBe(true);
    await h.executor.advance(5 * DAY);

    box = await mailbox(start);
    for (const c of contacts) expect(box.get(c.email)).toEqual([{ subject: "One", at: 0 }, { subject: "Three", at: 2 * DAY }]);
    const moves = await db().enrollmentEvent.findMany({ where: { type: "step_moved", sequenceId: sequence.id } });
    expect(moves).toHaveLength(100);
    expect(moves.every((m) => m.reason === "step_deleted" && m.stepId === sequence.steps[2].id)).toBe(true);
    const enrollments = await db().enrollment.groupBy({ by: ["status"], where: { sequenceId: sequence.id }, _count: { _all: true } });
    expect(enrollments).toEqual([{ status: "completed", _count: { _all: 100 } }]);
  }, 240_000);

  it("lengthening a delay while 100 runs sleep: none sends before the new time, each exactly once", async () => {
    const start = h.clock.now();
    const sequence = await threeSteps();
    const contacts = await enrollAll(sequence.id, 100);
    await h.executor.advance(12 * HOUR);

    const two = sequence.steps[1];
    await updateStep(db(), { sequenceId: sequence.id, stepId: two.id, subject: "Two", body: two.body, delayAmount: 3, delayUnit: "days" });
    await publishNow(db(), sequence.id);
    await h.executor.advance(3 * DAY - 12 * HOUR - MINUTE); // past the old due time (day 1)
    let box = await mailbox(start);
    expect(contacts.every((c) => subjectsOf(box.get(c.email)).join() === "One")).toBe(true);

    await h.executor.advance(MINUTE + 6 * DAY);
    box = await mailbox(start);
    for (const c of contacts) expect(box.get(c.email)).toEqual([{ subject: "One", at: 0 }, { subject: "Two", at: 3 * DAY }, { subject: "Three", at: 5 * DAY }]);
  }, 240_000);

  it.each([
    [1, DAY],
    [5, 5 * DAY],
  ])("a delay edited from 3 days to %i moves a waiting contact's send to that day, sent once", async (days, expectedAt) => {
    const start = h.clock.now();
    const sequence = await makeSequence(db(), {
      steps: [
        { subject: "Hello", delayAmount: 0, delayUnit: "minutes" },
        { subject: "Follow-up", delayAmount: 3, delayUnit: "days" },
      ],
    });
    const contact = await makeContact(db());
    await enrollContact(db(), { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
    await h.executor.advance(6 * HOUR);

    const step = sequence.steps[1];
    await updateStep(db(), { sequenceId: sequence.id, stepId: step.id, subject: step.subject, body: step.body, delayAmount: days, delayUnit: "days" });
    await publishNow(db(), sequence.id);
    await h.executor.advance(10 * DAY);

    const box = await mailbox(start);
    expect(box.get(contact.email)).toEqual([{ subject: "Hello", at: 0 }, { subject: "Follow-up", at: expectedAt }]);
    const moved = await db().enrollmentEvent.findFirstOrThrow({ where: { type: "step_moved", contactId: contact.id } });
    expect(moved).toMatchObject({ reason: "delay_changed", stepId: step.id });
  });

  it("a publish whose wake-up event is lost: a shortened delay sends late (at the old time), a lengthened one never early", async () => {
    const start = h.clock.now();
    const shorter = await makeSequence(db(), { name: "shorter", steps: [{ subject: "A1", delayAmount: 0 }, { subject: "A2", delayAmount: 3, delayUnit: "days" }] });
    const longer = await makeSequence(db(), { name: "longer", steps: [{ subject: "B1", delayAmount: 0 }, { subject: "B2", delayAmount: 1, delayUnit: "days" }] });
    const [a] = await enrollAll(shorter.id, 1);
    const [b] = await enrollAll(longer.id, 1);
    await h.executor.advance(HOUR);

    h.dropEvents(true);
    await updateStep(db(), { sequenceId: shorter.id, stepId: shorter.steps[1].id, subject: "A2", body: "x", delayAmount: 1, delayUnit: "days" });
    await updateStep(db(), { sequenceId: longer.id, stepId: longer.steps[1].id, subject: "B2", body: "x", delayAmount: 4, delayUnit: "days" });
    await publishNow(db(), shorter.id);
    await publishNow(db(), longer.id);
    h.dropEvents(false);
    await h.executor.advance(10 * DAY);

    const box = await mailbox(start);
    expect(box.get(a.email)).toEqual([{ subject: "A1", at: 0 }, { subject: "A2", at: 3 * DAY }]);
    expect(box.get(b.email)).toEqual([{ subject: "B1", at: 0 }, { subject: "B2", at: 4 * DAY }]);
  });
  it("a draft changes nobody's run until it is published", async () => {
    const start = h.clock.now();
    const sequence = await threeSteps();
    const [contact] = await enrollAll(sequence.id, 1);
    await h.executor.advance(12 * HOUR);
    const two = sequence.steps[1];
    await updateStep(db(), { sequenceId: sequence.id, stepId: two.id, subject: "Two (draft)", body: two.body, delayAmount: 3, delayUnit: "days" });
    await h.executor.advance(DAY);
    // Sent at the live time, with the live text: the draft is not live.
    expect(await mailbox(start).then((b) => b.get(contact.email))).toEqual([{ subject: "One", at: 0 }, { subject: "Two", at: DAY }]);
  });

  it("\"also send to contacts already past it\": a step inserted at the top reaches the contacts waiting on step 3, then step 3 follows", async () => {
    const start = h.clock.now();
    const sequence = await threeSteps();
    const contacts = await enrollAll(sequence.id, 5);
    await h.executor.advance(DAY + HOUR); // steps 1 and 2 sent; all wait on step 3

    const welcome = await addStep(db(), { sequenceId: sequence.id, subject: "Welcome", body: "Hi", delayAmount: 0, delayUnit: "minutes" });
    await reorderSteps(db(), { sequenceId: sequence.id, stepIds: [welcome.id, ...sequence.steps.map((s) => s.id)] });
    await publishNow(db(), sequence.id, { backfill: true });
    await h.executor.advance(10 * DAY);

    const box = await mailbox(start);
    // Welcome at once (its delay, 0, from the last send has passed); step 3's delay then counts from Welcome.
    for (const c of contacts) {
      expect(box.get(c.email)?.map((m) => [m.subject, m.at])).toEqual([["One", 0], ["Two", DAY], ["Welcome", DAY + HOUR], ["Three", 3 * DAY + HOUR]]);
    }
    expect(await db().enrollmentEvent.count({ where: { type: "step_passed", sequenceId: sequence.id } })).toBe(0);
    const moves = await db().enrollmentEvent.findMany({ where: { type: "step_moved", sequenceId: sequence.id } });
    expect(moves.map((m) => [m.reason, m.stepId])).toEqual(Array(5).fill(["backfilled", welcome.id]));
  });
});
