import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { setClock } from "../../lib/clock";
import { ABANDONED_CLAIM_MS, markAbandonedClaims } from "../../lib/sequences/abandoned-claims";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { planNextStep } from "../../lib/sequences/run-step";
import { getSequenceStats } from "../../lib/sequences/stats";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";

const db = testDb();
const events = recordEvents();
const START = Date.UTC(2026, 0, 5, 9, 0, 0);
let clockMs = START;

beforeEach(async () => {
  await resetDb();
  clockMs = START;
  setClock({ now: () => clockMs });
});
afterAll(() => {
  setClock(null);
  events.restore();
});

/** An enrollment in a 2-step sequence whose first step was claimed `ageMs` ago and never finished. */
async function claimedSend(ageMs: number, status: "claimed" | "sent" = "claimed") {
  const contact = await makeContact(db);
  const sequence = await makeSequence(db, { steps: [{ delayAmount: 0 }, { delayAmount: 1, delayUnit: "days" }] });
  const enrolled = await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
  if (enrolled.outcome !== "enrolled") throw new Error(enrolled.outcome);
  const send = await db.stepSend.create({
    data: { enrollmentId: enrolled.enrollmentId, stepId: sequence.steps[0].id, status, claimedAt: new Date(clockMs - ageMs) },
  });
  return { contact, sequence, enrollmentId: enrolled.enrollmentId, send };
}

describe("markAbandonedClaims", () => {
  it("records a claim left without an outcome as a failed send that is never retried, on the timeline and in the stats", async () => {
    const old = await claimedSend(ABANDONED_CLAIM_MS + 60_000);
    const recent = await claimedSend(ABANDONED_CLAIM_MS - 60_000);
    const delivered = await claimedSend(ABANDONED_CLAIM_MS * 3, "sent");

    expect(await markAbandonedClaims(db)).toEqual({ marked: 1 });

    expect(await db.stepSend.findUniqueOrThrow({ where: { id: old.send.id } })).toMatchObject({ status: "failed", retryable: false });
    expect((await db.stepSend.findUniqueOrThrow({ where: { id: recent.send.id } })).status).toBe("claimed");
    expect((await db.stepSend.findUniqueOrThrow({ where: { id: delivered.send.id } })).status).toBe("sent");
    const logged = await db.enrollmentEvent.findMany({ where: { type: "step_failed" }, select: { enrollmentId: true, stepId: true, reason: true } });
    expect(logged).toEqual([{ enrollmentId: old.enrollmentId, stepId: old.sequence.steps[0].id, reason: "outcome_unknown" }]);
    const stats = await getSequenceStats(db, old.sequence.id);
    expect(stats.steps[0]).toMatchObject({ failed: 1, sent: 0 });

    // Not retried: the run moves on to step 2.
    expect(await planNextStep(db, { enrollmentId: old.enrollmentId })).toMatchObject({ kind: "step", stepId: old.sequence.steps[1].id });
    // Idempotent: nothing left to mark.
    expect(await markAbandonedClaims(db)).toEqual({ marked: 0 });
  });
});
