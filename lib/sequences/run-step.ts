/**
 * What a sequence run does at each step, against the database. The Inngest
 * function (inngest/functions/run-enrollment.ts) only sequences these calls
 * and sleeps between them; every decision is made here, on current data.
 */
import { now } from "../clock";
import type { Db, Tx } from "../db/prisma";
import { mailConfig } from "../email/config";
import { renderStepMessage } from "../email/render";
import { getTransport, TransientDeliveryError } from "../email/transports";
import { createUnsubscribeToken } from "../email/unsubscribe-token";
import { endLiveEnrollments, exitContact } from "./exit-contact";
import type { TExitReason } from "./exit-reasons";
import { dueAt } from "./schedule";

export type StepPlan =
  | { kind: "stop"; reason: string }
  | { kind: "complete" }
  | { kind: "step"; stepId: string; dueAt: string };

/**
 * The enrollment's next step and when it is due: the first live step (by
 * position) it has no send record for, its delay counted from the previous
 * send (or from enrollment). Records the due time for the self-healing job.
 */
export async function planNextStep(db: Db, { enrollmentId }: { enrollmentId: string }): Promise<StepPlan> {
  const enrollment = await db.enrollment.findUnique({
    where: { id: enrollmentId },
    select: { status: true, enrolledAt: true, sequenceId: true, sequence: { select: { status: true } } },
  });
  if (!enrollment) return { kind: "stop", reason: "enrollment_not_found" };
  if (enrollment.status !== "active") return { kind: "stop", reason: `enrollment_${enrollment.status}` };
  if (enrollment.sequence.status !== "active") return { kind: "stop", reason: `sequence_${enrollment.sequence.status}` };

  // A send that failed before the transport accepted it is not done: a
  // restarted run must try that step again, not skip to the next one.
  const sends = await db.stepSend.findMany({
    where: { enrollmentId, NOT: { status: "failed", retryable: true } },
    select: { stepId: true, claimedAt: true },
  });
  const next = await db.sequenceStep.findFirst({
    where: { sequenceId: enrollment.sequenceId, deletedAt: null, id: { notIn: sends.map((s) => s.stepId) } },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
    select: { id: true, delayAmount: true, delayUnit: true },
  });
  if (!next) return { kind: "complete" };

  const lastSend = sends.reduce<Date | null>((latest, s) => (!latest || s.claimedAt > latest ? s.claimedAt : latest), null);
  const due = dueAt(lastSend ?? enrollment.enrolledAt, next);
  await db.enrollment.updateMany({
    where: { id: enrollmentId, status: "active" },
    data: { nextStepDueAt: due, currentStepIndex: sends.length },
  });
  return { kind: "step", stepId: next.id, dueAt: due.toISOString() };
}

export type SendOutcome =
  | { outcome: "sent"; messageId: string }
  | { outcome: "skipped"; reason: string }
  | { outcome: "stopped"; reason: string }
  | { outcome: "already_handled"; status: string }
  | { outcome: "failed"; error: string };

type Claimed = {
  sendId: string;
  contact: { id: string; email: string; firstName: string | null; lastName: string | null; attributes: unknown };
  step: { subject: string; body: string };
  sequenceId: string;
};

/**
 * Sends one step to one enrolled contact, at most once, and only if they may
 * still receive it. In one transaction it locks and re-reads the enrollment
 * and the contact, refuses (and logs why) unless all is well, and claims the
 * unique (enrollment, step) send record; it delivers after the commit.
 */
export async function sendStep(db: Db, input: { enrollmentId: string; stepId: string }): Promise<SendOutcome> {
  const decision = await db.$transaction((tx) => claimStep(tx, input));
  if (!("sendId" in decision)) return decision;
  return deliver(db, input, decision);
}

const CONTACT_EXIT: Record<string, TExitReason> = {
  unsubscribed: "opted_out",
  bounced: "bounced",
  deleted: "contact_deleted",
};

async function claimStep(tx: Tx, { enrollmentId, stepId }: { enrollmentId: string; stepId: string }): Promise<SendOutcome | Claimed> {
  // Lock order matters: the contact first (FOR SHARE), then the enrollment
  // (FOR UPDATE), the same order as unsubscribe, bounce and delete (contact
  // FOR UPDATE, then its enrollments). The other order deadlocked with an
  // opt-out, and PostgreSQL could abort the opt-out. Whoever commits first wins.
  const [owner] = await tx.$queryRaw<{ contactId: string }[]>`SELECT "contactId" FROM "Enrollment" WHERE "id" = ${enrollmentId}`;
  if (!owner) return { outcome: "stopped", reason: "enrollment_not_found" };
  const [contact] = await tx.$queryRaw<Claimed["contact"][] & { status: string; deletedAt: Date | null }[]>`
    SELECT "id", "email", "firstName", "lastName", "attributes", "status"::text AS "status", "deletedAt"
    FROM "Contact" WHERE "id" = ${owner.contactId} FOR SHARE`;
  const [enrollment] = await tx.$queryRaw<{ status: string; contactId: string; sequenceId: string }[]>`
    SELECT "status"::text AS "status", "contactId", "sequenceId" FROM "Enrollment" WHERE "id" = ${enrollmentId} FOR UPDATE`;
  const { contactId, sequenceId } = enrollment;
  const sequence = await tx.sequence.findUniqueOrThrow({ where: { id: sequenceId }, select: { status: true } });
  const step = await tx.sequenceStep.findFirst({ where: { id: stepId, sequenceId }, select: { subject: true, body: true, deletedAt: true } });

  const skip = async (reason: string, outcome: "skipped" | "stopped") => {
    await tx.enrollmentEvent.create({ data: { type: "step_skipped", contactId, sequenceId, enrollmentId, stepId: step ? stepId : null, reason } });
    return { outcome, reason };
  };

  if (enrollment.status !== "active") return skip(`enrollment_${enrollment.status}`, "stopped");
  const contactState = contact.deletedAt ? "deleted" : contact.status;
  if (contactState !== "subscribed") {
    // The contact left without this enrollment being ended (a race, or a
    // direct database change): end it now with the matching reason.
    const result = await skip(`contact_${contactState}`, "stopped");
    await endLiveEnrollments(tx, { contactId, enrollmentId, reason: CONTACT_EXIT[contactState] ?? "removed", detail: "found at send time" });
    return result;
  }
  if (sequence.status !== "active") return skip(`sequence_${sequence.status}`, "stopped");
  if (!step || step.deletedAt) return skip("step_deleted", "skipped");

  const claimedAt = now();
  const [claim] = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "StepSend" ("id", "enrollmentId", "stepId", "status", "claimedAt")
    VALUES (gen_random_uuid()::text, ${enrollmentId}, ${stepId}, 'claimed', ${claimedAt})
    ON CONFLICT ("enrollmentId", "stepId") DO NOTHING
    RETURNING "id"`;
  if (claim) return { sendId: claim.id, contact, step, sequenceId };

  // Already claimed. Only a failure known to be pre-delivery may be retried;
  // a claimed or sent record means this step was (or is being) handled.
  const [reclaimed] = await tx.$queryRaw<{ id: string }[]>`
    UPDATE "StepSend" SET "status" = 'claimed', "retryable" = false, "attempts" = "attempts" + 1, "error" = NULL
    WHERE "enrollmentId" = ${enrollmentId} AND "stepId" = ${stepId} AND "status" = 'failed' AND "retryable"
    RETURNING "id"`;
  if (reclaimed) return { sendId: reclaimed.id, contact, step, sequenceId };
  const existing = await tx.stepSend.findUniqueOrThrow({ where: { enrollmentId_stepId: { enrollmentId, stepId } }, select: { status: true } });
  return { outcome: "already_handled", status: existing.status };
}

async function deliver(db: Db, { enrollmentId, stepId }: { enrollmentId: string; stepId: string }, claimed: Claimed): Promise<SendOutcome> {
  const config = mailConfig();
  const token = createUnsubscribeToken({ contactId: claimed.contact.id, messageRef: claimed.sendId }, { now: now() });
  const rendered = renderStepMessage({
    subject: claimed.step.subject,
    body: claimed.step.body,
    contact: claimed.contact,
    unsubscribeUrl: `${config.appUrl}/unsubscribe/${token}`,
    oneClickUrl: `${config.appUrl}/api/unsubscribe/${token}`,
    postalAddress: config.postalAddress,
    senderName: config.senderName,
  });
  const messageId = `${enrollmentId}.${stepId}@${config.messageIdDomain}`;
  const log = { contactId: claimed.contact.id, sequenceId: claimed.sequenceId, enrollmentId, stepId };

  try {
    await getTransport(db).deliver({
      from: config.from,
      to: claimed.contact.email,
      ...rendered,
      messageId,
      idempotencyKey: `${enrollmentId}:${stepId}`,
      refs: { contactId: claimed.contact.id, enrollmentId, stepId },
    });
  } catch (error) {
    const transient = error instanceof TransientDeliveryError;
    const message = error instanceof Error ? error.message : String(error);
    await db.$transaction([
      db.stepSend.update({ where: { id: claimed.sendId }, data: { status: "failed", retryable: transient, error: message.slice(0, 1000) } }),
      db.enrollmentEvent.create({ data: { type: "step_failed", ...log, reason: transient ? "delivery_not_accepted" : "delivery_failed", data: { error: message.slice(0, 500) } } }),
    ]);
    // Not accepted: safe to retry, so let Inngest retry the step.
    if (transient) throw error;
    return { outcome: "failed", error: message };
  }

  const sentAt = now();
  await db.$transaction([
    db.stepSend.update({ where: { id: claimed.sendId }, data: { status: "sent", messageId, sentAt } }),
    db.enrollmentEvent.create({ data: { type: "step_sent", ...log, reason: rendered.subject.slice(0, 200), createdAt: sentAt } }),
  ]);
  return { outcome: "sent", messageId };
}

/** Ends an enrollment whose every step has been handled. */
export async function completeEnrollment(db: Db, input: { enrollmentId: string }): Promise<{ completed: boolean }> {
  const enrollment = await db.enrollment.findUnique({ where: { id: input.enrollmentId }, select: { contactId: true, sequenceId: true } });
  if (!enrollment) return { completed: false };
  const { exited } = await exitContact(db, { ...enrollment, enrollmentId: input.enrollmentId, reason: "completed" });
  return { completed: exited.length > 0 };
}
