import type { Tx } from "../db/prisma";

/**
 * An out-of-office reply ends nothing; in the sequences that ask for it
 * (autoReplyPauseDays), it holds the contact's next step for that many days
 * from now: Enrollment.heldUntil, which the planner treats as the earliest
 * the step may go, and nextStepDueAt moved as far, so that a send being
 * claimed right now is refused as not due. Only the sequence the reply
 * answers when it names one of our messages; else every live one of the
 * contact's. A later hold extends, never shortens. Logged as step_held,
 * reason auto_reply, for the contact's timeline.
 *
 * Several auto-replies (a batch read from the mailbox) in one statement; an
 * enrollment that more than one of them holds is held (and logged) once:
 * every hold in a call is from the same moment, so they would all agree.
 * The number of enrollments held.
 */
export async function holdOnAutoReplies(tx: Tx, inputs: { contactId: string; sequenceId?: string }[], at: Date): Promise<number> {
  if (inputs.length === 0) return 0;
  const rows = await tx.$queryRaw<{ id: string }[]>`
    WITH target AS (
      SELECT DISTINCT e."id", s."autoReplyPauseDays" AS "days"
      FROM unnest(${inputs.map((i) => i.contactId)}::text[], ${inputs.map((i) => i.sequenceId ?? null)}::text[]) AS i("contactId", "sequenceId")
      JOIN "Enrollment" e ON e."contactId" = i."contactId" AND (i."sequenceId" IS NULL OR e."sequenceId" = i."sequenceId")
      JOIN "Sequence" s ON s."id" = e."sequenceId"
      WHERE e."status" = 'active' AND s."autoReplyPauseDays" IS NOT NULL
    ), held AS (
      UPDATE "Enrollment" e
      SET "heldUntil" = GREATEST(e."heldUntil", ${at}::timestamp + make_interval(days => t."days")),
          "nextStepDueAt" = GREATEST(e."nextStepDueAt", ${at}::timestamp + make_interval(days => t."days")),
          "updatedAt" = ${at}
      FROM target t
      WHERE e."id" = t."id"
      RETURNING e."id", e."contactId", e."sequenceId", e."waitingStepId", e."heldUntil"
    ), logged AS (
      INSERT INTO "EnrollmentEvent" ("type", "contactId", "sequenceId", "enrollmentId", "stepId", "reason", "data", "createdAt")
      SELECT 'step_held', held."contactId", held."sequenceId", held."id", held."waitingStepId", 'auto_reply',
             jsonb_build_object('dueAt', to_char(held."heldUntil", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')), ${at}
      FROM held
    )
    SELECT "id" FROM held`;
  return rows.length;
}
