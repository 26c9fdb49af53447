import { now } from "../clock";
import type { Db } from "../db/prisma";

/**
 * How long a send may stay claimed before it is presumed abandoned. Sending
 * takes seconds and transports time out within minutes; a claim this old
 * means the process stopped between claiming and recording the outcome.
 */
export const ABANDONED_CLAIM_MS = 60 * 60_000;

export const OUTCOME_UNKNOWN = "outcome_unknown";

/**
 * Sends are at most once: a claim is never sent again, so a crash after the
 * claim can lose that message. This makes such losses visible instead of
 * silent: each abandoned claim becomes a failed send that is NOT retried
 * (the message may have gone out), with a step_failed event on the
 * contact's timeline and in the step's failed count.
 */
export async function markAbandonedClaims(db: Db, options: { limit?: number } = {}): Promise<{ marked: number }> {
  const at = now();
  const cutoff = new Date(at.getTime() - ABANDONED_CLAIM_MS);
  const error = "The process stopped after claiming this send and before recording whether it was delivered; it is not retried, so it is never sent twice.";
  const marked = await db.$executeRaw`
    WITH abandoned AS (
      UPDATE "StepSend" ss SET "status" = 'failed', "retryable" = false, "error" = ${error}
      WHERE ss."id" IN (
        SELECT "id" FROM "StepSend" WHERE "status" = 'claimed' AND "claimedAt" < ${cutoff}
        ORDER BY "claimedAt" LIMIT ${options.limit ?? 1000} FOR UPDATE SKIP LOCKED
      )
      RETURNING ss."enrollmentId", ss."stepId"
    )
    INSERT INTO "EnrollmentEvent" ("type", "contactId", "sequenceId", "enrollmentId", "stepId", "reason", "data", "createdAt")
    SELECT 'step_failed', e."contactId", e."sequenceId", a."enrollmentId", a."stepId", ${OUTCOME_UNKNOWN}, jsonb_build_object('error', ${error}::text), ${at}
    FROM abandoned a JOIN "Enrollment" e ON e."id" = a."enrollmentId"`;
  return { marked };
}
