/**
 * Out-of-office replies (issue 21 item 3): never an exit; a sequence may
 * hold the contact's next step for N days instead. Read as the mailbox
 * reader reads them (parseMessage, handleMessage), on the real database.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { setClock } from "../../lib/clock";
import { setTransport } from "../../lib/email/transports";
import { handleMessage, handleMessages } from "../../lib/mailbox/handle-message";
import { parseMessage } from "../../lib/mailbox/parse-message";
import { planNextStep, sendStep } from "../../lib/sequences/run-step";
import { updateSequenceSettings } from "../../lib/sequences/sequence-mutations";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { makeSequence } from "../support/factories";
import { recordingTransport } from "../support/fault-transport";
import { plannedSend, sentFirstStep } from "../support/plan";

process.env.STEPWISE_SIGNING_SECRET ??= "auto-reply-hold-signing-secret-0123";

const db = testDb();
const events = recordEvents();
const DAY = 86_400_000;
const start = Date.parse("2026-12-07T10:00:00.000Z");
let clock = start;
const transport = recordingTransport();

beforeEach(async () => {
  await resetDb();
  clock = start;
  setClock({ now: () => clock });
  setTransport(transport);
});
afterEach(() => {
  setClock(null);
  setTransport(null);
});
// Exits publish contact.* events: recorded here rather than sent to an Inngest server.
void events;

function message(from: string, inReplyTo: string, extra: string[]): Buffer {
  return Buffer.from(
    [`From: <${from}>`, "To: <hello@stepwise.local>", "Subject: Re: Step 1", `Message-ID: <${Math.random().toString(36).slice(2)}@example.com>`, `In-Reply-To: <${inReplyTo}>`, ...extra, "Content-Type: text/plain", "", "Body", ""].join("\r\n"),
  );
}
const outOfOffice = (from: string, inReplyTo: string) => parseMessage(message(from, inReplyTo, ["Auto-Submitted: auto-replied"]));

async function sentStep1(autoReplyPauseDays: number | null) {
  const sent = await sentFirstStep(db, { autoReplyPauseDays });
  return { ...sent, step2: await plannedSend(db, sent.enrollmentId) };
}

describe("an out-of-office reply", () => {
  it("holds the next step for the sequence's days: the step is not sent on its own due date, and goes once the hold is over", async () => {
    const { contact, enrollmentId, messageId, step2 } = await sentStep1(3);
    clock = start + 2 * 3600_000;
    expect(await handleMessage(db, outOfOffice(contact.email, messageId))).toEqual({ kind: "auto_reply" });

    const held = await db.enrollment.findUniqueOrThrow({ where: { id: enrollmentId } });
    expect(held.status).toBe("active");
    expect(held.heldUntil?.toISOString()).toBe(new Date(clock + 3 * DAY).toISOString());
    expect(held.nextStepDueAt?.toISOString()).toBe(new Date(clock + 3 * DAY).toISOString());
    const logged = await db.enrollmentEvent.findFirstOrThrow({ where: { enrollmentId, type: "step_held" } });
    expect(logged).toMatchObject({ reason: "auto_reply", stepId: step2.stepId, data: { dueAt: new Date(clock + 3 * DAY).toISOString() } });

    // Step 2's own due date (a day after step 1) comes: not sent, re-planned to the end of the hold.
    clock = start + DAY + 60_000;
    expect(await sendStep(db, step2)).toMatchObject({ outcome: "not_due" });
    expect(await planNextStep(db, { enrollmentId })).toMatchObject({ kind: "step", stepId: step2.stepId, dueAt: new Date(start + 2 * 3600_000 + 3 * DAY).toISOString() });
    expect(transport.deliveries.filter((d) => d.key === `${enrollmentId}:${step2.stepId}`)).toHaveLength(0);

    clock = start + 2 * 3600_000 + 3 * DAY;
    const replanned = await plannedSend(db, enrollmentId);
    expect((await sendStep(db, replanned)).outcome).toBe("sent");
  });

  it("holds nothing and exits nothing when the sequence has no hold; the step goes on its own due date", async () => {
    const { contact, enrollmentId, messageId, step2 } = await sentStep1(null);
    expect(await handleMessage(db, outOfOffice(contact.email, messageId))).toEqual({ kind: "auto_reply" });
    const enrollment = await db.enrollment.findUniqueOrThrow({ where: { id: enrollmentId } });
    expect(enrollment).toMatchObject({ status: "active", heldUntil: null, exitReason: null });
    expect(enrollment.nextStepDueAt?.toISOString()).toBe(new Date(start + DAY).toISOString());
    clock = start + DAY;
    expect((await sendStep(db, step2)).outcome).toBe("sent");
  });

  it("a second out-of-office extends the hold from its own time, never shortens it; a real reply afterwards still exits", async () => {
    const { contact, enrollmentId, messageId } = await sentStep1(5);
    await handleMessage(db, outOfOffice(contact.email, messageId));
    clock = start + DAY;
    await handleMessage(db, outOfOffice(contact.email, messageId));
    expect((await db.enrollment.findUniqueOrThrow({ where: { id: enrollmentId } })).heldUntil?.toISOString()).toBe(new Date(start + 6 * DAY).toISOString());
    expect(await handleMessage(db, parseMessage(message(contact.email, messageId, [])))).toEqual({ kind: "reply", exited: 1 });
    expect(await db.enrollment.findUniqueOrThrow({ where: { id: enrollmentId } })).toMatchObject({ status: "replied", exitReason: "replied" });
  });

  it("the same message read twice holds once; a forged From with no Message-ID of ours holds nothing", async () => {
    const { contact, enrollmentId, messageId } = await sentStep1(2);
    const ooo = outOfOffice(contact.email, messageId);
    await handleMessage(db, ooo);
    clock = start + DAY;
    await handleMessage(db, ooo);
    expect((await db.enrollment.findUniqueOrThrow({ where: { id: enrollmentId } })).heldUntil?.toISOString()).toBe(new Date(start + 2 * DAY).toISOString());
    expect(await db.enrollmentEvent.count({ where: { enrollmentId, type: "step_held", reason: "auto_reply" } })).toBe(1);

    const other = await sentStep1(2);
    expect(await handleMessage(db, outOfOffice(other.contact.email, "not-ours@example.com"))).toEqual({ kind: "ignored", reason: "not_ours" });
    expect((await db.enrollment.findUniqueOrThrow({ where: { id: other.enrollmentId } })).heldUntil).toBeNull();
  });
});

describe("a batch of out-of-office replies (the mailbox reader's)", () => {
  it("holds each contact's enrollment once, even one that replied twice, and nothing in a sequence without a hold", async () => {
    const twice = await sentStep1(3);
    const once = await sentStep1(4);
    const noHold = await sentStep1(null);
    clock = start + 3600_000;
    const batch = [
      outOfOffice(twice.contact.email, twice.messageId),
      outOfOffice(once.contact.email, once.messageId),
      outOfOffice(twice.contact.email, twice.messageId),
      outOfOffice(noHold.contact.email, noHold.messageId),
    ];
    expect(await handleMessages(db, batch)).toEqual(batch.map(() => ({ kind: "auto_reply" })));

    for (const [{ enrollmentId }, days] of [[twice, 3], [once, 4]] as const) {
      expect((await db.enrollment.findUniqueOrThrow({ where: { id: enrollmentId } })).heldUntil?.toISOString()).toBe(new Date(clock + days * DAY).toISOString());
      expect(await db.enrollmentEvent.count({ where: { enrollmentId, type: "step_held" } })).toBe(1);
    }
    expect(await db.enrollment.findUniqueOrThrow({ where: { id: noHold.enrollmentId } })).toMatchObject({ status: "active", heldUntil: null });
    expect(await db.enrollmentEvent.count({ where: { enrollmentId: noHold.enrollmentId, type: "step_held" } })).toBe(0);
  });
});

describe("the sequence setting", () => {
  it("is saved by the settings form's action and refused out of range", async () => {
    const sequence = await makeSequence(db, { status: "draft" });
    const settings = { sequenceId: sequence.id, name: sequence.name, description: "", exitOnReply: true, reentryPolicy: "never" as const };
    await updateSequenceSettings(db, { ...settings, autoReplyPauseDays: 7 });
    expect((await db.sequence.findUniqueOrThrow({ where: { id: sequence.id } })).autoReplyPauseDays).toBe(7);
    for (const bad of [0, 91, 1.5]) await expect(updateSequenceSettings(db, { ...settings, autoReplyPauseDays: bad })).rejects.toMatchObject({ code: "validation" });
    await updateSequenceSettings(db, { ...settings, autoReplyPauseDays: null });
    expect((await db.sequence.findUniqueOrThrow({ where: { id: sequence.id } })).autoReplyPauseDays).toBeNull();
  });
});
