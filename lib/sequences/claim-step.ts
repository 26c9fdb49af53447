/**
 * The claim of a send (lib/sequences/run-step.ts, sendStep): in the send's
 * transaction, lock and re-read the enrollment and its contact, refuse (and
 * log why) unless the step may go out now, and take the unique (enrollment,
 * step) send record. Delivery happens after the commit, in run-step.ts.
 */
import { now } from "../clock";
import { queryRows } from "../db/direct";
import { Prisma, type Db, type Tx } from "../db/prisma";
import { sendingSenderRow, type SenderRow } from "../senders/identity";
import { paceSend } from "../pacing/claim";
import { endLiveEnrollments } from "./exit-contact";
import type { TExitReason } from "./exit-reasons";
import type { SendInput, SendOutcome } from "./run-step";

export type Claimed = {
  sendId: string;
  contact: { id: string; email: string; firstName: string | null; lastName: string | null; attributes: unknown };
  step: { subject: string; body: string };
  sequenceId: string;
  /** Read with the sequence by the claim, so delivering asks the database nothing more. */
  trackingEnabled: boolean;
  /**
   * Who it is from, read by the claim: the sequence's sender, else the
   * default sender; null: neither, so the environment's. Read at every
   * send, so a sender changed mid-sequence applies to the next step.
   */
  sender: SenderRow | null;
};

type SenderColumns = { senderId: string | null; fromName: string | null; fromAddress: string | null; replyTo: string | null };

function senderOf({ senderId, fromName, fromAddress, replyTo }: SenderColumns): SenderRow | null {
  return senderId && fromName !== null && fromAddress !== null ? { id: senderId, fromName, fromAddress, replyTo } : null;
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
 * contact's, which its row filter reads). One statement is its own
 * transaction: run on the client, not in one (lib/db/direct.ts: no Prisma
 * on the way). Null unless it claimed: then claimStep decides, and logs why.
 */
export async function claimQuickly(db: Db | Tx, { enrollmentId, stepId, version }: SendInput): Promise<Claimed | null> {
  const [row] = await queryRows<Claimed["contact"] & SenderColumns & { sendId: string; subject: string; body: string; sequenceId: string; trackingEnabled: boolean }>(db, Prisma.sql`
    WITH c AS (
      SELECT c."id", c."email", c."firstName", c."lastName", c."attributes" FROM "Contact" c
      WHERE c."id" = (SELECT "contactId" FROM "Enrollment" WHERE "id" = ${enrollmentId}) AND c."status" = 'subscribed' AND c."deletedAt" IS NULL
      FOR SHARE
    ), e AS (
      SELECT "sequenceId" FROM "Enrollment" WHERE "id" = ${enrollmentId} AND "status" = 'active' AND EXISTS (SELECT 1 FROM c)
        AND "waitingStepId" = ${stepId} AND "sequenceVersion" = ${version}::int AND "nextStepDueAt" <= ${now()}
      FOR UPDATE
    ), ready AS (
      SELECT st."subject", st."body", e."sequenceId", s."trackingEnabled",
             snd."id" AS "senderId", snd."fromName", snd."fromAddress", snd."replyTo"
      FROM e JOIN "Sequence" s ON s."id" = e."sequenceId" AND s."status" = 'active' AND s."dailyCap" IS NULL
      JOIN "SequenceStep" st ON st."id" = ${stepId} AND st."sequenceId" = e."sequenceId" AND st."deletedAt" IS NULL
      LEFT JOIN "Sender" snd ON snd."id" = COALESCE(s."senderId", (SELECT "id" FROM "Sender" WHERE "isDefault"))
    ), claim AS (
      INSERT INTO "StepSend" ("id", "enrollmentId", "stepId", "status", "claimedAt")
      SELECT gen_random_uuid()::text, ${enrollmentId}, ${stepId}, 'claimed', ${now()} FROM ready
      ON CONFLICT ("enrollmentId", "stepId") DO NOTHING
      RETURNING "id"
    )
    SELECT claim."id" AS "sendId", c."id", c."email", c."firstName", c."lastName", c."attributes", ready."subject", ready."body", ready."sequenceId", ready."trackingEnabled",
           ready."senderId", ready."fromName", ready."fromAddress", ready."replyTo"
    FROM claim, c, ready`);
  if (!row) return null;
  const { sendId, subject, body, sequenceId, trackingEnabled, senderId, fromName, fromAddress, replyTo, ...contact } = row;
  return { sendId, contact, step: { subject, body }, sequenceId, trackingEnabled, sender: senderOf({ senderId, fromName, fromAddress, replyTo }) };
}

export async function claimStep(tx: Tx, { enrollmentId, stepId, version }: SendInput): Promise<SendOutcome | Claimed> {
  // Lock order matters: the contact first (FOR SHARE), then the enrollment
  // (FOR UPDATE), the same order as unsubscribe, bounce and delete (contact
  // FOR UPDATE, then its enrollments). The other order deadlocked with an
  // opt-out, and PostgreSQL could abort the opt-out. Whoever commits first wins.
  const [owner] = await tx.$queryRaw<{ contactId: string }[]>`SELECT "contactId" FROM "Enrollment" WHERE "id" = ${enrollmentId}`;
  if (!owner) return { outcome: "stopped", reason: "enrollment_not_found" };
  const [contact] = await tx.$queryRaw<Claimed["contact"][] & { status: string; deletedAt: Date | null }[]>`
    SELECT "id", "email", "firstName", "lastName", "attributes", "status"::text AS "status", "deletedAt"
    FROM "Contact" WHERE "id" = ${owner.contactId} FOR SHARE`;
  const [enrollment] = await tx.$queryRaw<
    { status: string; contactId: string; sequenceId: string; waitingStepId: string | null; sequenceVersion: number | null; nextStepDueAt: Date | null }[]
  >`
    SELECT "status"::text AS "status", "contactId", "sequenceId", "waitingStepId", "sequenceVersion", "nextStepDueAt"
    FROM "Enrollment" WHERE "id" = ${enrollmentId} FOR UPDATE`;
  const { contactId, sequenceId } = enrollment;
  const sequence = await tx.sequence.findUniqueOrThrow({ where: { id: sequenceId }, select: { status: true, trackingEnabled: true } });
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
  // Normal outcomes of a publish or an early wake-up, not refusals: no log line.
  if (enrollment.waitingStepId !== stepId || enrollment.sequenceVersion !== version) return { outcome: "replanned" };
  const claimedAt = now();
  if (!enrollment.nextStepDueAt || enrollment.nextStepDueAt.getTime() > claimedAt.getTime()) {
    return { outcome: "not_due", dueAt: (enrollment.nextStepDueAt ?? claimedAt).toISOString() };
  }
  if (!step || step.deletedAt) return skip("step_deleted", "skipped");

  // Pacing counts fresh claims only (a retry was counted when first claimed).
  // Stable here: every claim of this enrollment holds its lock.
  const earlier = await tx.stepSend.findUnique({ where: { enrollmentId_stepId: { enrollmentId, stepId } }, select: { id: true } });
  if (!earlier) {
    const pace = await paceSend(tx, { enrollmentId, sequenceId, stepId, at: claimedAt });
    if (pace.kind === "held") return { outcome: "held", reason: pace.reason, until: pace.until.toISOString() };
  }

  const [claim] = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "StepSend" ("id", "enrollmentId", "stepId", "status", "claimedAt")
    VALUES (gen_random_uuid()::text, ${enrollmentId}, ${stepId}, 'claimed', ${claimedAt})
    ON CONFLICT ("enrollmentId", "stepId") DO NOTHING
    RETURNING "id"`;
  const { trackingEnabled } = sequence;
  if (claim) return { sendId: claim.id, contact, step, sequenceId, trackingEnabled, sender: await sendingSenderRow(tx, sequenceId) };

  // Already claimed. Only a failure known to be pre-delivery may be retried;
  // a claimed or sent record means this step was (or is being) handled.
  const [reclaimed] = await tx.$queryRaw<{ id: string }[]>`
    UPDATE "StepSend" SET "status" = 'claimed', "retryable" = false, "attempts" = "attempts" + 1, "error" = NULL
    WHERE "enrollmentId" = ${enrollmentId} AND "stepId" = ${stepId} AND "status" = 'failed' AND "retryable"
    RETURNING "id"`;
  if (reclaimed) return { sendId: reclaimed.id, contact, step, sequenceId, trackingEnabled, sender: await sendingSenderRow(tx, sequenceId) };
  const existing = await tx.stepSend.findUniqueOrThrow({ where: { enrollmentId_stepId: { enrollmentId, stepId } }, select: { status: true } });
  return { outcome: "already_handled", status: existing.status };
}

