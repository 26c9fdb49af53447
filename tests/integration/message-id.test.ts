/**
 * A step's Message-ID reveals no internal id (recipients see it) yet stays
 * deterministic, and a reply's In-Reply-To still finds the send by it.
 */
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { stepMessageId } from "../../lib/email/message-id";
import { setTransport, type MailTransport, type OutgoingMessage } from "../../lib/email/transports";
import { recordInboundReply } from "../../lib/replies/record-reply";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { sendStep } from "../../lib/sequences/run-step";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";
import { plannedSend } from "../support/plan";

process.env.STEPWISE_SIGNING_SECRET ??= "message-id-test-signing-secret-0123";

const db = testDb();
const events = recordEvents();
const delivered: OutgoingMessage[] = [];
const transport: MailTransport = {
  name: "capture",
  async deliver(message) {
    delivered.push(message);
    return { messageId: message.messageId };
  },
};

beforeEach(async () => {
  await resetDb();
  delivered.length = 0;
  setTransport(transport);
});
afterAll(() => {
  setTransport(null);
  events.restore();
});

async function sendFirstStep() {
  const contact = await makeContact(db);
  const sequence = await makeSequence(db);
  const enrolled = await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
  if (enrolled.outcome !== "enrolled") throw new Error(enrolled.outcome);
  const input = await plannedSend(db, enrolled.enrollmentId);
  expect(input.stepId).toBe(sequence.steps[0].id);
  expect(await sendStep(db, input)).toMatchObject({ outcome: "sent" });
  return { contact, sequence, input };
}

describe("Message-IDs of sent steps", () => {
  it("carry no enrollment, step, contact or sequence id, and are the HMAC of (enrollment, step)", async () => {
    const { contact, sequence, input } = await sendFirstStep();
    expect(delivered).toHaveLength(1);
    const id = delivered[0].messageId;
    expect(id).toMatch(/^[0-9a-f]{40}@[^@\s]+$/);
    for (const internal of [input.enrollmentId, input.stepId, contact.id, sequence.id]) {
      expect(id).not.toContain(internal);
      expect(id).not.toContain(internal.replace(/-/g, ""));
    }
    expect(id).toBe(stepMessageId(input, id.split("@")[1]));
    expect((await db.stepSend.findFirstOrThrow()).messageId).toBe(id);
  });

  it("differ per step and per signing secret", () => {
    const a = { enrollmentId: "e1", stepId: "s1" };
    const secret = "x".repeat(32);
    expect(stepMessageId(a, "d", secret)).toBe(stepMessageId({ ...a }, "d", secret));
    expect(stepMessageId(a, "d", secret)).not.toBe(stepMessageId({ ...a, stepId: "s2" }, "d", secret));
    expect(stepMessageId(a, "d", secret)).not.toBe(stepMessageId(a, "d", "y".repeat(32)));
  });

  it("still match a reply sent from another address by its In-Reply-To", async () => {
    const { contact, input } = await sendFirstStep();
    const id = delivered[0].messageId;
    const result = await recordInboundReply(db, { from: "alias-of-contact@example.net", inReplyTo: `<${id}>` }, { provider: "generic" });
    expect(result).toMatchObject({ matched: true, matchedSend: true });
    const reply = await db.inboundReply.findFirstOrThrow();
    expect(reply.contactId).toBe(contact.id);
    expect(reply.stepSendId).toBe((await db.stepSend.findUniqueOrThrow({ where: { enrollmentId_stepId: { enrollmentId: input.enrollmentId, stepId: input.stepId } } })).id);
  });
});
