import { describe, expect, it } from "vitest";
import { getDb } from "../../lib/db/client";
import { CatcherTransport } from "../../lib/email/transports/catcher";
import { setTransport } from "../../lib/email/transports";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { exitContact } from "../../lib/sequences/exit-contact";
import { healOverdueEnrollments } from "../../lib/sequences/heal";
import { makeContact, makeSequence } from "../support/factories";
import { worstCaseBackoffMs } from "@stepwise/inngest-local";
import { harnessPerTest, scriptedTransport, type Harness } from "../support/run-harness";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let h: Harness;
const db = () => getDb();
harnessPerTest((started) => (h = started));

/** A 3-step sequence: now, +1 day, +2 days after that. */
async function threeSteps(overrides: Parameters<typeof makeSequence>[1] = {}) {
  return makeSequence(db(), {
    steps: [
      { subject: "One for {{firstName}}", delayAmount: 0, delayUnit: "minutes" },
      { subject: "Two", delayAmount: 1, delayUnit: "days" },
      { subject: "Three", delayAmount: 2, delayUnit: "days" },
    ],
    ...overrides,
  });
}

async function enroll(contactId: string, sequenceId: string) {
  const result = await enrollContact(db(), { contactId, sequenceId, source: "manual" });
  await h.executor.runUntilIdle();
  return result;
}

const inbox = (to: string) => db().caughtMessage.findMany({ where: { toAddress: to }, orderBy: { createdAt: "asc" } });
const runsOf = () => h.executor.runs({ functionId: "stepwise-run-enrollment" });

describe("a sequence run", () => {
  it("delivers 3 steps in order at the right times and completes", async () => {
    const start = h.clock.now();
    const contact = await makeContact(db(), { firstName: "Ada" });
    const sequence = await threeSteps();

    await enroll(contact.id, sequence.id);
    expect((await inbox(contact.email)).map((m) => m.subject)).toEqual(["One for Ada"]);

    await h.executor.advance(DAY - MINUTE);
    expect(await inbox(contact.email)).toHaveLength(1); // not a minute early
    await h.executor.advance(MINUTE);
    await h.executor.advance(2 * DAY);

    const messages = await inbox(contact.email);
    expect(messages.map((m) => m.subject)).toEqual(["One for Ada", "Two", "Three"]);
    expect(messages.map((m) => m.createdAt.getTime() - start)).toEqual([0, DAY, 3 * DAY]);
    const enrollment = await db().enrollment.findFirstOrThrow({ where: { contactId: contact.id } });
    expect(enrollment).toMatchObject({ status: "completed", exitReason: "completed" });
    expect(runsOf()).toHaveLength(1);
    expect(runsOf()[0].status).toBe("completed");
    // Every message carries the unsubscribe headers and the postal address.
    expect(messages[0].headers).toMatchObject({ "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" });
    expect(messages[0].text).toContain("Unsubscribe: http://localhost:3000/unsubscribe/");
    const log = await db().enrollmentEvent.findMany({ where: { contactId: contact.id }, orderBy: { id: "asc" } });
    expect(log.map((e) => e.type)).toEqual(["enrolled", "step_sent", "step_sent", "step_sent", "exited"]);
  });

  describe.each([
    ["opt-out", "opted_out" as const, async (contactId: string) => {
      await db().contact.update({ where: { id: contactId }, data: { status: "unsubscribed", unsubscribedAt: new Date(h.clock.now()) } });
      await exitContact(db(), { contactId, reason: "opted_out" });
    }],
    ["reply", "replied" as const, (contactId: string) => exitContact(db(), { contactId, reason: "replied" })],
    ["manual removal", "removed" as const, async (contactId: string, sequenceId: string) => {
      await exitContact(db(), { contactId, sequenceId, reason: "removed" });
    }],
  ])("%s after step 1", (_label, reason, leave) => {
    it("cancels the run, records the reason, and step 2 is never sent", async () => {
      const contact = await makeContact(db());
      const sequence = await threeSteps();
      await enroll(contact.id, sequence.id);
      expect(await inbox(contact.email)).toHaveLength(1);

      await h.executor.advance(HOUR);
      await leave(contact.id, sequence.id);
      await h.executor.runUntilIdle();
      expect(runsOf()[0].status).toBe("cancelled");

      await h.executor.advance(10 * DAY);
      expect(await inbox(contact.email)).toHaveLength(1);
      const enrollment = await db().enrollment.findFirstOrThrow({ where: { contactId: contact.id } });
      expect(enrollment).toMatchObject({ status: reason, exitReason: reason });
    });
  });

  it("a reply in sequence A does not touch sequence B when B does not exit on reply", async () => {
    const contact = await makeContact(db());
    const a = await threeSteps({ name: "A", exitOnReply: true });
    const b = await threeSteps({ name: "B", exitOnReply: false });
    await enroll(contact.id, a.id);
    await enroll(contact.id, b.id);
    expect(await inbox(contact.email)).toHaveLength(2);

    await exitContact(db(), { contactId: contact.id, reason: "replied" });
    await h.executor.advance(4 * DAY);

    const runs = runsOf();
    expect(runs.find((r) => r.event.data.sequenceId === a.id)?.status).toBe("cancelled");
    expect(runs.find((r) => r.event.data.sequenceId === b.id)?.status).toBe("completed");
    const statuses = await db().enrollment.findMany({ where: { contactId: contact.id }, select: { sequenceId: true, status: true } });
    expect(statuses).toEqual(expect.arrayContaining([{ sequenceId: a.id, status: "replied" }, { sequenceId: b.id, status: "completed" }]));
    expect(await inbox(contact.email)).toHaveLength(1 + 3);
  });

  it("sends nothing after an opt-out committed just before the send, with no cancel event delivered", async () => {
    const contact = await makeContact(db());
    const sequence = await threeSteps();
    await enroll(contact.id, sequence.id);

    // Inngest is down: the opt-out commits, but no contact.opted_out arrives.
    h.dropEvents(true);
    await db().contact.update({ where: { id: contact.id }, data: { status: "unsubscribed" } });
    await exitContact(db(), { contactId: contact.id, reason: "opted_out" });
    h.dropEvents(false);

    await h.executor.advance(5 * DAY);
    expect(await inbox(contact.email)).toHaveLength(1);
    expect(runsOf()[0].status).toBe("completed"); // it stopped itself
    expect(runsOf()[0].output).toMatchObject({ stopped: "enrollment_opted_out" });
  });

  it("sends nothing to a contact unsubscribed behind the domain's back, and ends the enrollment", async () => {
    const contact = await makeContact(db());
    const sequence = await threeSteps();
    await enroll(contact.id, sequence.id);
    // A direct database change (an import, a support fix) without exitContact.
    await db().contact.update({ where: { id: contact.id }, data: { status: "unsubscribed" } });

    await h.executor.advance(5 * DAY);
    expect(await inbox(contact.email)).toHaveLength(1);
    const enrollment = await db().enrollment.findFirstOrThrow({ where: { contactId: contact.id } });
    expect(enrollment.status).toBe("opted_out");
    const skipped = await db().enrollmentEvent.findFirstOrThrow({ where: { contactId: contact.id, type: "step_skipped" } });
    expect(skipped.reason).toBe("contact_unsubscribed");
  });

  it("enrolling twice, also concurrently, yields one run and one message per step", async () => {
    const contact = await makeContact(db());
    const sequence = await threeSteps();
    await Promise.all(Array.from({ length: 5 }, () => enrollContact(db(), { contactId: contact.id, sequenceId: sequence.id, source: "api" })));
    await enroll(contact.id, sequence.id);
    // Even a duplicated start event starts nothing more.
    await h.executor.send(h.published.filter((e) => e.name === "stepwise/enrollment.started"));
    await h.executor.advance(4 * DAY);

    expect(runsOf()).toHaveLength(1);
    expect((await inbox(contact.email)).map((m) => m.subject)).toEqual(["One for Test", "Two", "Three"]);
  });

  it("a send that fails after delivering is not sent again when retried", async () => {
    const scripted = scriptedTransport(new CatcherTransport(db()), (n) => (n === 1 ? "deliver-then-throw" : "deliver"));
    setTransport(scripted.transport);
    const contact = await makeContact(db());
    const sequence = await threeSteps();
    await enroll(contact.id, sequence.id);

    const [first] = sequence.steps;
    expect(scripted.attempts).toHaveLength(1);
    const record = await db().stepSend.findFirstOrThrow({ where: { stepId: first.id } });
    expect(record).toMatchObject({ status: "failed", retryable: false, attempts: 1 });
    // Re-running the step (as an Inngest retry or a duplicate run would) sends nothing.
    const { advanceEnrollment } = await import("../../lib/sequences/run-step");
    expect(await advanceEnrollment(db(), { enrollmentId: record.enrollmentId })).toMatchObject({ kind: "step", stepId: sequence.steps[1].id });
    expect(scripted.attempts).toHaveLength(1);

    // The run moves on: the later steps go out once each.
    await h.executor.advance(4 * DAY);
    expect(scripted.attempts.filter((k) => k.endsWith(first.id))).toHaveLength(1);
    expect(scripted.attempts).toHaveLength(3);
  });

  it("a send the transport did not accept is retried by Inngest and delivered once", async () => {
    const scripted = scriptedTransport(new CatcherTransport(db()), (n) => (n === 1 ? "transient-fail" : "deliver"));
    setTransport(scripted.transport);
    const contact = await makeContact(db());
    const sequence = await threeSteps();
    await enroll(contact.id, sequence.id);
    // Inngest retries after its backoff (15 s + jitter), not at once.
    expect(scripted.attempts).toHaveLength(1);
    await h.executor.advance(worstCaseBackoffMs(1));

    expect(scripted.attempts).toHaveLength(2);
    expect(await inbox(contact.email)).toHaveLength(1);
    const record = await db().stepSend.findFirstOrThrow({ where: { stepId: sequence.steps[0].id } });
    expect(record).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("recovers an enrollment whose start event was lost, with no duplicate", async () => {
    const contact = await makeContact(db());
    const sequence = await threeSteps();
    h.dropEvents(true);
    const result = await enrollContact(db(), { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
    h.dropEvents(false);
    expect(result.outcome).toBe("enrolled"); // the user's action succeeded
    await h.executor.runUntilIdle();
    expect(runsOf()).toHaveLength(0);
    expect(await inbox(contact.email)).toHaveLength(0);

    // The cron job notices the overdue step and restarts the run.
    await h.executor.advance(30 * MINUTE);
    expect(runsOf()).toHaveLength(1);
    expect(await inbox(contact.email)).toHaveLength(1);

    // A second heal while the run is alive (sleeping) starts a run that
    // finds nothing due twice: still one message per step.
    await h.executor.advance(DAY + 20 * MINUTE);
    await healOverdueEnrollments(db());
    await h.executor.advance(3 * DAY);
    expect((await inbox(contact.email)).map((m) => m.subject)).toEqual(["One for Test", "Two", "Three"]);
  });

  it("a step deleted behind the domain's back while a contact waits for it: the run moves on to the next step and logs the move", async () => {
    const start = h.clock.now();
    const contact = await makeContact(db());
    const sequence = await threeSteps();
    await enroll(contact.id, sequence.id);
    await db().sequenceStep.update({ where: { id: sequence.steps[1].id }, data: { deletedAt: new Date() } });

    await h.executor.advance(10 * DAY);
    const messages = await inbox(contact.email);
    expect(messages.map((m) => m.subject)).toEqual(["One for Test", "Three"]);
    // Its own delay (2 days) counted from the last send; never earlier.
    expect(messages[1].createdAt.getTime() - start).toBe(2 * DAY);
    const moved = await db().enrollmentEvent.findFirstOrThrow({ where: { contactId: contact.id, type: "step_moved" } });
    expect(moved).toMatchObject({ reason: "step_deleted", stepId: sequence.steps[2].id, data: { fromStepId: sequence.steps[1].id } });
    expect((await db().enrollment.findFirstOrThrow({ where: { contactId: contact.id } })).status).toBe("completed");
  });
});

describe("registered function config", () => {
  it("is pinned: triggers, cancelOn, idempotency and retries", async () => {
    const fns = h.executor.functions();
    const run = fns.find((f) => f.id === "stepwise-run-enrollment");
    const heal = fns.find((f) => f.id === "stepwise-heal-overdue-enrollments");
    expect(fns.map((f) => f.id).sort()).toEqual([
      "stepwise-deliver-webhooks",
      "stepwise-heal-overdue-enrollments",
      "stepwise-read-mailbox",
      "stepwise-read-mailboxes",
      "stepwise-run-enrollment",
      "stepwise-run-enrollment-cohort",
    ]);
    expect(run?.triggers).toEqual([{ event: "stepwise/enrollment.started" }]);
    expect(run?.idempotency).toBe("event.data.runKey");
    expect(run?.cancel).toEqual([
      { event: "contact.opted_out", if: "async.data.contactId == event.data.contactId" },
      {
        event: "contact.removed",
        if: "async.data.contactId == event.data.contactId && (async.data.sequenceId == null || async.data.sequenceId == event.data.sequenceId)",
      },
      {
        event: "contact.replied",
        if: "event.data.exitOnReply == true && async.data.contactId == event.data.contactId && (async.data.sequenceId == null || async.data.sequenceId == event.data.sequenceId)",
      },
    ]);
    expect(Object.values(run?.steps ?? {})[0]?.retries).toEqual({ attempts: 5 });
    // A cohort run is not cancelled by one member's exit: the claim refuses that member's sends.
    const cohort = fns.find((f) => f.id === "stepwise-run-enrollment-cohort");
    expect(cohort?.triggers).toEqual([{ event: "stepwise/enrollments.started" }]);
    expect(cohort?.idempotency).toBe("event.data.runKey");
    expect(cohort?.cancel).toBeUndefined();
    expect(Object.values(cohort?.steps ?? {})[0]?.retries).toEqual({ attempts: 5 });
    expect(heal?.triggers).toEqual([{ cron: "*/5 * * * *" }]);
    expect(fns.find((f) => f.id === "stepwise-deliver-webhooks")?.triggers).toEqual([{ cron: "* * * * *" }, { event: "stepwise/webhooks.wake" }]);
  });
});
