/**
 * Lock order on the send path, with the interleavings forced rather than
 * hoped for (the randomized races are in tests/fault/opt-out-race.test.ts).
 */
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { setTransport, type MailTransport } from "../../lib/email/transports";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { sendStep } from "../../lib/sequences/run-step";
import { plannedSend } from "../support/plan";
import { resetDb, testDb, waitForLockWaiters } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";

process.env.STEPWISE_SIGNING_SECRET ??= "send-step-locks-signing-secret-0123";

const db = testDb();
const events = recordEvents();

beforeEach(() => resetDb());
afterAll(() => {
  setTransport(null);
  events.restore();
});

/** A transport that holds every message until `release()`. */
function gatedTransport() {
  let release!: () => void;
  let entered!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const deliverEntered = new Promise<void>((resolve) => (entered = resolve));
  const transport: MailTransport = {
    name: "gated",
    async deliver(message) {
      entered();
      await gate;
      return { messageId: message.messageId };
    },
  };
  return { transport, release, deliverEntered };
}

describe("recording a send's outcome", () => {
  it("does not deadlock with a concurrent claim of the same step (a restarted run)", async () => {
    const contact = await makeContact(db);
    const sequence = await makeSequence(db);
    const enrolled = await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
    if (enrolled.outcome !== "enrolled") throw new Error(enrolled.outcome);
    const input = await plannedSend(db, enrolled.enrollmentId);
    const { transport, release, deliverEntered } = gatedTransport();
    setTransport(transport);

    // Run A has claimed the step and is delivering it.
    const first = sendStep(db, input);
    await deliverEntered;

    // Run B's claim, statement by statement as claimStep runs them: the
    // contact FOR SHARE, the enrollment FOR UPDATE ... then, once A is busy
    // recording its outcome, the claim's insert.
    await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM "Contact" WHERE "id" = ${contact.id} FOR SHARE`;
      await tx.$queryRaw`SELECT 1 FROM "Enrollment" WHERE "id" = ${input.enrollmentId} FOR UPDATE`;
      release();
      await waitForLockWaiters(1);
      const claimed = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO "StepSend" ("id", "enrollmentId", "stepId", "status")
        VALUES (gen_random_uuid()::text, ${input.enrollmentId}, ${input.stepId}, 'claimed')
        ON CONFLICT ("enrollmentId", "stepId") DO NOTHING RETURNING "id"`;
      expect(claimed).toEqual([]);
    });

    expect(await first).toMatchObject({ outcome: "sent" });
    expect(await db.stepSend.findMany({ select: { status: true } })).toEqual([{ status: "sent" }]);
  });
});
