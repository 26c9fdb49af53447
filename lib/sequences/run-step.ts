/**
 * What a sequence run does at each step, against the database. The Inngest
 * function (inngest/functions/run-enrollment.ts) only sequences these calls
 * and sleeps between them; every decision is made here, on current data.
 */
import { now } from "../clock";
import type { Db, Tx } from "../db/prisma";
import { mailConfig } from "../email/config";
import { stepMessageId } from "../email/message-id";
import { renderStepMessage } from "../email/render";
import { getTransport, TransientDeliveryError } from "../email/transports";
import { createUnsubscribeToken } from "../email/unsubscribe-token";
import { endLiveEnrollments, exitContact } from "./exit-contact";
import type { TExitReason } from "./exit-reasons";

export type StepPlan =
  | { kind: "stop"; reason: string }
  | { kind: "complete" }
  | { kind: "step"; stepId: string; dueAt: string };

/**
 * The enrollment's next step and when it is due: the first live step (by
 * position) it has no send record for, its delay counted from the previous
 * send (or from enrollment). Records the due time for the self-healing job.
 * A send that failed before the transport accepted it is not done: a
 * restarted run must try that step again, not skip to the next one.
 * One statement: it runs before every step of every run.
 */
export async function planNextStep(db: Db, { enrollmentId }: { enrollmentId: string }): Promise<StepPlan> {
  const [row] = await db.$queryRaw<{ status: string | null; sequenceStatus: string | null; stepId: string | null; dueAt: Date | null }[]>`
    WITH e AS (
      SELECT e."id", e."status"::text AS "status", e."enrolledAt", e."sequenceId", s."status"::text AS "sequenceStatus"
      FROM "Enrollment" e JOIN "Sequence" s ON s."id" = e."sequenceId" WHERE e."id" = ${enrollmentId}
    ), done AS (
      SELECT ss."stepId", ss."claimedAt" FROM "StepSend" ss
      WHERE ss."enrollmentId" = ${enrollmentId} AND NOT (ss."status" = 'failed' AND ss."retryable")
    ), sends AS (
      SELECT count(*)::int AS n, max("claimedAt") AS "last" FROM done
    ), next AS (
      -- The delay as schedule.ts's delayMs counts it (a day is 24 hours).
      SELECT st."id", coalesce(sends."last", e."enrolledAt")
               + st."delayAmount" * (CASE st."delayUnit" WHEN 'minutes' THEN 60000 WHEN 'hours' THEN 3600000 ELSE 86400000 END) * interval '1 millisecond' AS "dueAt"
      FROM e CROSS JOIN sends JOIN "SequenceStep" st ON st."sequenceId" = e."sequenceId"
      WHERE e."status" = 'active' AND e."sequenceStatus" = 'active' AND st."deletedAt" IS NULL
        AND NOT EXISTS (SELECT 1 FROM done WHERE done."stepId" = st."id")
      ORDER BY st."position" ASC, st."createdAt" ASC
      LIMIT 1
    ), recorded AS (
      -- Only when it changed: the first plan of a run finds what enrolling wrote.
      UPDATE "Enrollment" en SET "nextStepDueAt" = next."dueAt", "currentStepIndex" = sends.n, "updatedAt" = ${now()}
      FROM next, sends
      WHERE en."id" = ${enrollmentId} AND en."status" = 'active'
        AND (en."nextStepDueAt" IS DISTINCT FROM next."dueAt" OR en."currentStepIndex" <> sends.n)
    )
    SELECT e."status", e."sequenceStatus", next."id" AS "stepId", next."dueAt"
    FROM (SELECT 1) one LEFT JOIN e ON true LEFT JOIN next ON true`;

  if (!row.status) return { kind: "stop", reason: "enrollment_not_found" };
  if (row.status !== "active") return { kind: "stop", reason: `enrollment_${row.status}` };
  if (row.sequenceStatus !== "active") return { kind: "stop", reason: `sequence_${row.sequenceStatus}` };
  if (!row.stepId || !row.dueAt) return { kind: "complete" };
  return { kind: "step", stepId: row.stepId, dueAt: row.dueAt.toISOString() };
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
  // The common case in one statement; anything else (a refusal to log, an
  // earlier claim) takes the step-by-step path, in the same transaction.
  const decision = await db.$transaction(async (tx) => (await claimQuickly(tx, input)) ?? claimStep(tx, input));
  if (!("sendId" in decision)) return decision;
  return deliver(db, input, decision);
}

const CONTACT_EXIT: Record<string, TExitReason> = {
  unsubscribed: "opted_out",
  bounced: "bounced",
  deleted: "contact_deleted",
};

/**
 * claimStep's checks and claim in one statement, with the same locks in the
 * same order (the contact FOR SHARE, then the enrollment FOR UPDATE, each
 * re-checked as locked: the enrollment's lock is taken only after its
 * contact's, which its row filter reads). Null unless it claimed: then
 * claimStep decides, and logs why.
 */
async function claimQuickly(tx: Tx, { enrollmentId, stepId }: { enrollmentId: string; stepId: string }): Promise<Claimed | null> {
  const [row] = await tx.$queryRaw<(Claimed["contact"] & { sendId: string; subject: string; body: string; sequenceId: string })[]>`
    WITH c AS (
      SELECT c."id", c."email", c."firstName", c."lastName", c."attributes" FROM "Contact" c
      WHERE c."id" = (SELECT "contactId" FROM "Enrollment" WHERE "id" = ${enrollmentId}) AND c."status" = 'subscribed' AND c."deletedAt" IS NULL
      FOR SHARE
    ), e AS (
      SELECT "sequenceId" FROM "Enrollment" WHERE "id" = ${enrollmentId} AND "status" = 'active' AND EXISTS (SELECT 1 FROM c) FOR UPDATE
    ), ready AS (
      SELECT st."subject", st."body", e."sequenceId"
      FROM e JOIN "Sequence" s ON s."id" = e."sequenceId" AND s."status" = 'active'
      JOIN "SequenceStep" st ON st."id" = ${stepId} AND st."sequenceId" = e."sequenceId" AND st."deletedAt" IS NULL
    ), claim AS (
      INSERT INTO "StepSend" ("id", "enrollmentId", "stepId", "status", "claimedAt")
      SELECT gen_random_uuid()::text, ${enrollmentId}, ${stepId}, 'claimed', ${now()} FROM ready
      ON CONFLICT ("enrollmentId", "stepId") DO NOTHING
      RETURNING "id"
    )
    SELECT claim."id" AS "sendId", c."id", c."email", c."firstName", c."lastName", c."attributes", ready."subject", ready."body", ready."sequenceId"
    FROM claim, c, ready`;
  if (!row) return null;
  const { sendId, subject, body, sequenceId, ...contact } = row;
  return { sendId, contact, step: { subject, body }, sequenceId };
}

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
  const messageId = stepMessageId({ enrollmentId, stepId }, config.messageIdDomain);
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
      lockEnrollmentFirst(db, enrollmentId),
      db.stepSend.update({ where: { id: claimed.sendId }, data: { status: "failed", retryable: transient, error: message.slice(0, 1000) } }),
      db.enrollmentEvent.create({ data: { type: "step_failed", ...log, reason: transient ? "delivery_not_accepted" : "delivery_failed", data: { error: message.slice(0, 500) } } }),
    ]);
    // Not accepted: safe to retry, so let Inngest retry the step.
    if (transient) throw error;
    return { outcome: "failed", error: message };
  }

  const sentAt = now();
  // One statement for the record and its log line, in a batch as the failure path's.
  const [, marked] = await db.$transaction([
    lockEnrollmentFirst(db, enrollmentId),
    db.$executeRaw`
      WITH sent AS (
        UPDATE "StepSend" SET "status" = 'sent', "messageId" = ${messageId}, "sentAt" = ${sentAt} WHERE "id" = ${claimed.sendId} RETURNING "id"
      )
      INSERT INTO "EnrollmentEvent" ("type", "contactId", "sequenceId", "enrollmentId", "stepId", "reason", "createdAt")
      SELECT 'step_sent', ${log.contactId}, ${log.sequenceId}, ${enrollmentId}, ${stepId}, ${rendered.subject.slice(0, 200)}, ${sentAt} FROM sent`,
  ]);
  if (marked !== 1) throw new Error(`Send record ${claimed.sendId} vanished before it could be marked sent`);
  return { outcome: "sent", messageId };
}

/**
 * The first statement of recording a send's outcome. The outcome's log line
 * references the enrollment, so its foreign key check takes a KEY SHARE lock
 * on it. Taken after the send record's row lock, that waited on a concurrent
 * claim of the same step (a restarted run), which holds the enrollment FOR
 * UPDATE and itself waited on the send record: a deadlock. Taken first, the
 * outcome simply waits for that claim to finish.
 */
function lockEnrollmentFirst(db: Db, enrollmentId: string) {
  return db.$queryRaw`SELECT 1 FROM "Enrollment" WHERE "id" = ${enrollmentId} FOR KEY SHARE`;
}

/** Ends an enrollment whose every step has been handled. */
export async function completeEnrollment(db: Db, input: { enrollmentId: string }): Promise<{ completed: boolean }> {
  const [enrollment] = await db.$queryRaw<{ contactId: string; sequenceId: string }[]>`
    SELECT "contactId", "sequenceId" FROM "Enrollment" WHERE "id" = ${input.enrollmentId}`;
  if (!enrollment) return { completed: false };
  const { exited } = await exitContact(db, { ...enrollment, enrollmentId: input.enrollmentId, reason: "completed" });
  return { completed: exited.length > 0 };
}
