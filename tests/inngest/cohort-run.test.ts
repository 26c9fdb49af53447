/**
 * Cohort runs (inngest/functions/run-cohort.ts): enrollments of one
 * sequence made together share one run, through the real serve() route and
 * the local executor with the clock advanced. Each member gets what a run of
 * its own would give it (every step once, at its time, never after an
 * exit), with a request per wake-up instead of one per member and email.
 */
import { describe, expect, it } from "vitest";
import { updateContactProfile } from "../../lib/contacts/profile";
import { getDb } from "../../lib/db/client";
import { setTransport, TransientDeliveryError, type MailTransport } from "../../lib/email/transports";
import { CatcherTransport } from "../../lib/email/transports/catcher";
import { enrollMany, enrollPairs, publishStarted } from "../../lib/sequences/enroll-many";
import { exitContact } from "../../lib/sequences/exit-contact";
import { makeContact, makeSequence } from "../support/factories";
import { harnessPerTest, type Harness } from "../support/run-harness";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SATURDAY_NOON = Date.UTC(2026, 0, 10, 12, 0);

let h: Harness;
const db = () => getDb();
const { restart } = harnessPerTest((started) => (h = started));

/** Steps now, a day later, and two days after that. */
function threeSteps(overrides: Parameters<typeof makeSequence>[1] = {}) {
  return makeSequence(db(), {
    ...overrides,
    steps: [
      { subject: "One", delayAmount: 0, delayUnit: "minutes" },
      { subject: "Two", delayAmount: 1, delayUnit: "days" },
      { subject: "Three", delayAmount: 2, delayUnit: "days" },
    ],
  });
}

async function enrollTogether(sequenceId: string, contacts: { id: string }[]) {
  const results = await enrollMany(db(), { pairs: contacts.map((c) => ({ contactId: c.id, sequenceId })), source: "manual" });
  expect(results.every((r) => r.outcome === "enrolled")).toBe(true);
  await h.executor.runUntilIdle();
}

/** Each recipient's messages: subject and time since `start`. */
async function mailbox(start: number) {
  const messages = await db().caughtMessage.findMany({ orderBy: { createdAt: "asc" } });
  const byRecipient = new Map<string, [string, number][]>();
  for (const m of messages) byRecipient.set(m.toAddress, [...(byRecipient.get(m.toAddress) ?? []), [m.subject, m.createdAt.getTime() - start]]);
  return byRecipient;
}

/**
 * The clock at Saturday 10 January 2026, noon UTC (a weekend in every zone),
 * and a one-step sequence sending on weekdays 09:00 to 17:00 in each
 * contact's zone (Berlin's when the contact has none).
 */
async function onSaturdayWithSchedule() {
  await restart({ start: SATURDAY_NOON });
  const sequence = await makeSequence(db(), { steps: [{ subject: "Hello", delayAmount: 0, delayUnit: "minutes" }] });
  const schedule = { days: [1, 2, 3, 4, 5], window: { start: "09:00", end: "17:00" }, holidayCountry: null };
  await db().sequence.update({ where: { id: sequence.id }, data: { schedule, timezone: "Europe/Berlin" } });
  return sequence;
}

const cohortRuns = () => h.executor.runs({ functionId: "stepwise-run-enrollment-cohort" });
const ownRuns = () => h.executor.runs({ functionId: "stepwise-run-enrollment" });

describe("enrollments made together share a cohort run", () => {
  it("delivers every step to every member once, on time, in one run with a request per wake-up", async () => {
    const start = h.clock.now();
    const sequence = await threeSteps();
    const contacts = await Promise.all(Array.from({ length: 12 }, () => makeContact(db())));
    await enrollTogether(sequence.id, contacts);
    await h.executor.advance(4 * DAY);

    const box = await mailbox(start);
    for (const c of contacts) expect(box.get(c.email)).toEqual([["One", 0], ["Two", DAY], ["Three", 3 * DAY]]);
    expect(cohortRuns().map((r) => r.status)).toEqual(["completed"]);
    expect(ownRuns()).toEqual([]);
    const enrollments = await db().enrollment.groupBy({ by: ["status"], where: { sequenceId: sequence.id }, _count: { _all: true } });
    expect(enrollments).toEqual([{ status: "completed", _count: { _all: 12 } }]);
    // 36 emails in three wake-ups (step 1 right after the first plan, then one per later step); a run each would wake 36 times.
    expect(cohortRuns()[0].output).toMatchObject({ members: 12, wakes: 3 });
  });

  it("a member who opts out, replies or is removed while the cohort waits gets nothing more; the others go on", async () => {
    const start = h.clock.now();
    const sequence = await threeSteps({ exitOnReply: true });
    const [optedOut, replied, removed, ...others] = await Promise.all(Array.from({ length: 6 }, () => makeContact(db())));
    await enrollTogether(sequence.id, [optedOut, replied, removed, ...others]);
    await h.executor.advance(12 * HOUR); // step 1 sent to all; waiting on step 2

    await db().contact.update({ where: { id: optedOut.id }, data: { status: "unsubscribed", unsubscribedAt: new Date(h.clock.now()) } });
    await exitContact(db(), { contactId: optedOut.id, reason: "opted_out" });
    await exitContact(db(), { contactId: replied.id, reason: "replied" });
    await exitContact(db(), { contactId: removed.id, sequenceId: sequence.id, reason: "removed" });
    await h.executor.advance(4 * DAY);

    const box = await mailbox(start);
    for (const c of [optedOut, replied, removed]) expect(box.get(c.email)).toEqual([["One", 0]]);
    for (const c of others) expect(box.get(c.email)).toEqual([["One", 0], ["Two", DAY], ["Three", 3 * DAY]]);
    const [run] = cohortRuns();
    expect(run.status).toBe("completed");
    expect(run.output).toMatchObject({
      members: 6,
      outcomes: { completed: 3, "stop:enrollment_opted_out": 1, "stop:enrollment_replied": 1, "stop:enrollment_removed": 1 },
    });
  });

  it("members in different time zones each get a step inside their own window: the cohort wakes for each", async () => {
    const sequence = await onSaturdayWithSchedule();
    const zones = ["Asia/Tokyo", "Europe/Berlin", "America/New_York"];
    const contacts = await Promise.all(zones.map((timezone) => makeContact(db(), { timezone })));
    await enrollTogether(sequence.id, contacts);
    await h.executor.advance(5 * DAY);

    const sentAt = new Map((await db().caughtMessage.findMany()).map((m) => [m.toAddress, m.createdAt]));
    // Monday 12 January, 09:00 local: Tokyo first (00:00 UTC), Berlin (08:00 UTC), New York (14:00 UTC).
    expect(contacts.map((c) => sentAt.get(c.email)?.toISOString())).toEqual(["2026-01-12T00:00:00.000Z", "2026-01-12T08:00:00.000Z", "2026-01-12T14:00:00.000Z"]);
    expect(cohortRuns().map((r) => r.status)).toEqual(["completed"]);
  });

  it("a contact whose zone changes while the cohort waits is sent inside the new zone's window", async () => {
    const sequence = await onSaturdayWithSchedule();
    const [moving, staying] = await Promise.all([makeContact(db(), { timezone: "Asia/Tokyo" }), makeContact(db(), { timezone: "Asia/Tokyo" })]);
    await enrollTogether(sequence.id, [moving, staying]);
    await updateContactProfile(db(), { contactId: moving.id, firstName: moving.firstName, lastName: moving.lastName, timezone: "America/New_York", attributes: {} });
    await h.executor.advance(5 * DAY);

    const sentAt = new Map((await db().caughtMessage.findMany()).map((m) => [m.toAddress, m.createdAt.toISOString()]));
    expect(sentAt.get(staying.email)).toBe("2026-01-12T00:00:00.000Z");
    expect(sentAt.get(moving.email)).toBe("2026-01-12T14:00:00.000Z");
  });

  it("a member the transport refuses is handed to a run of its own and delivered once; the others are not held back", async () => {
    const start = h.clock.now();
    const sequence = await threeSteps();
    const contacts = await Promise.all(Array.from({ length: 5 }, () => makeContact(db())));
    const refused = contacts[2];
    const catcher = new CatcherTransport(db());
    let refusals = 2;
    const flaky: MailTransport = {
      name: "flaky",
      async deliver(message) {
        if (message.to === refused.email && refusals > 0) {
          refusals--;
          throw new TransientDeliveryError("connection refused (simulated)");
        }
        return catcher.deliver(message);
      },
    };
    setTransport(flaky);
    await enrollTogether(sequence.id, contacts);
    await h.executor.advance(4 * DAY);

    const box = await mailbox(start);
    for (const c of contacts.filter((c) => c !== refused)) expect(box.get(c.email)).toEqual([["One", 0], ["Two", DAY], ["Three", 3 * DAY]]);
    // Its own run retried step 1 with Inngest's backoff (a minute or so), then went on.
    const late = box.get(refused.email) ?? [];
    expect(late.map(([subject]) => subject)).toEqual(["One", "Two", "Three"]);
    expect(late[0][1]).toBeGreaterThan(0);
    expect(late[0][1]).toBeLessThan(HOUR);
    expect(refusals).toBe(0);
    expect(ownRuns().map((r) => [r.status, r.event.data.enrollmentId])).toEqual([["completed", expect.any(String)]]);
    expect(cohortRuns()[0].output).toMatchObject({ outcomes: { completed: 4, "stop:handed_to_own_run": 1 } });
    expect(await db().enrollment.count({ where: { sequenceId: sequence.id, status: "completed" } })).toBe(5);
  });

  it("publishing the same start events twice starts one cohort run; an enrollment alone keeps its own run", async () => {
    const sequence = await threeSteps();
    const other = await threeSteps();
    const contacts = await Promise.all(Array.from({ length: 3 }, () => makeContact(db())));
    const pairs = [...contacts.map((c) => ({ contactId: c.id, sequenceId: sequence.id })), { contactId: contacts[0].id, sequenceId: other.id }];
    const { started } = await db().$transaction((tx) => enrollPairs(tx, pairs, "manual"));
    const alone = started.find((e) => e.data.sequenceId === other.id)!;
    await publishStarted(started);
    await publishStarted(started);
    await h.executor.advance(4 * DAY);

    expect(cohortRuns()).toHaveLength(1);
    expect(ownRuns().map((r) => r.event.data.enrollmentId)).toEqual([alone.data.enrollmentId]);
    expect(await db().stepSend.count({ where: { status: "sent" } })).toBe(4 * 3);
    expect(await db().caughtMessage.count()).toBe(4 * 3);
  });
});
