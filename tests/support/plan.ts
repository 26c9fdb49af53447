import type { Db } from "../../lib/db/prisma";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { planNextStep, sendStep, type SendInput } from "../../lib/sequences/run-step";
import { makeContact, makeSequence } from "./factories";

/** What a run would send next: plans (recording it on the enrollment) and returns the claim's input. */
export async function plannedSend(db: Db, enrollmentId: string): Promise<SendInput> {
  const plan = await planNextStep(db, { enrollmentId });
  if (plan.kind !== "step") throw new Error(`expected a step to send, the plan is ${JSON.stringify(plan)}`);
  return { enrollmentId, stepId: plan.stepId, version: plan.version };
}

/**
 * A new contact enrolled in a new two-step sequence (step 2 a day later)
 * with step 1 sent: the enrollment and the Message-ID a reply or a bounce
 * would name. `settings` are the sequence's (exitOnReply, autoReplyPauseDays).
 */
export async function sentFirstStep(db: Db, settings: { exitOnReply?: boolean; autoReplyPauseDays?: number | null } = {}) {
  const sequence = await makeSequence(db, {
    ...settings,
    steps: [
      { subject: "Step 1", delayAmount: 0, delayUnit: "minutes" },
      { subject: "Step 2", delayAmount: 1, delayUnit: "days" },
    ],
  });
  const contact = await makeContact(db);
  const enrolled = await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
  if (enrolled.outcome !== "enrolled") throw new Error(`expected an enrollment, got ${enrolled.outcome}`);
  const sent = await sendStep(db, await plannedSend(db, enrolled.enrollmentId));
  if (sent.outcome !== "sent") throw new Error(`expected step 1 sent, got ${sent.outcome}`);
  const { messageId } = await db.stepSend.findFirstOrThrow({ where: { enrollmentId: enrolled.enrollmentId }, select: { messageId: true } });
  return { sequence, contact, enrollmentId: enrolled.enrollmentId, messageId: messageId! };
}
