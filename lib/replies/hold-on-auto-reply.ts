import { Prisma, type Tx } from "../db/prisma";

/**
 * An out-of-office reply ends nothing; in the sequences that ask for it
 * (autoReplyPauseDays), it holds the contact's next step for that many days
 * from now: Enrollment.heldUntil, which the planner treats as the earliest
 * the step may go, and nextStepDueAt moved as far, so that a send being
 * claimed right now is refused as not due. Only the sequence the reply
 * answers when it names one of our messages; else every live one of the
 * contact's. A later hold extends, never shortens. Logged as step_held,
 * reason auto_reply, for the contact's timeline.
 */
export async function holdOnAutoReply(tx: Tx, input: { contactId: string; sequenceId?: string; at: Date }): Promise<number> {
  const conditions = [Prisma.sql`e."contactId" = ${input.contactId}`, Prisma.sql`e."status" = 'active'`, Prisma.sql`s."autoReplyPauseDays" IS NOT NULL`];
  if (input.sequenceId) conditions.push(Prisma.sql`e."sequenceId" = ${input.sequenceId}`);
  const rows = await tx.$queryRaw<{ id: string }[]>`
    WITH held AS (
      UPDATE "Enrollment" e
      SET "heldUntil" = GREATEST(e."heldUntil", ${input.at}::timestamp + make_interval(days => s."autoReplyPauseDays")),
          "nextStepDueAt" = GREATEST(e."nextStepDueAt", ${input.at}::timestamp + make_interval(days => s."autoReplyPauseDays")),
          "updatedAt" = ${input.at}
      FROM "Sequence" s
      WHERE s."id" = e."sequenceId" AND ${Prisma.join(conditions, " AND ")}
      RETURNING e."id", e."contactId", e."sequenceId", e."waitingStepId", e."heldUntil"
    ), logged AS (
      INSERT INTO "EnrollmentEvent" ("type", "contactId", "sequenceId", "enrollmentId", "stepId", "reason", "data", "createdAt")
      SELECT 'step_held', held."contactId", held."sequenceId", held."id", held."waitingStepId", 'auto_reply',
             jsonb_build_object('dueAt', to_char(held."heldUntil", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')), ${input.at}
      FROM held
    )
    SELECT "id" FROM held`;
  return rows.length;
}
