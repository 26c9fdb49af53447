import { now as currentTime } from "../clock";
import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import { publishEvents } from "../events/publish";
import type { DelayUnit } from "../generated/prisma/enums";
import { ZEnrollContactInput, type TEnrollContactInput } from "../validations/enrollment";
import { parseOrThrow } from "../validations/parse";
import { enrollVerdict, isLoggableRefusal, type EnrollRefusal } from "./enroll-verdict";
import type { TExitReason } from "./exit-reasons";
import type { TReentryPolicy } from "./reentry";
import { enrollmentStartedEvent } from "./run-events";
import { dueAt } from "./schedule";

export type EnrollResult =
  | { outcome: "enrolled"; enrollmentId: string }
  | { outcome: "already_enrolled"; enrollmentId: string | null }
  | { outcome: "refused"; reason: EnrollRefusal };

type Attempt = Exclude<EnrollResult, { outcome: "enrolled" }> | { outcome: "enrolled"; enrollmentId: string; exitOnReply: boolean };

/** A contact whose status flips under every attempt is being fought over; the caller may try again. */
const MAX_ATTEMPTS = 3;

/**
 * Enrolls a contact in a sequence: the one way any single enrollment is
 * created (enrollMany applies the same rules, enroll-verdict.ts, in bulk).
 * At most one live (active or paused) enrollment per contact and sequence is
 * guaranteed by a partial unique index: of two concurrent calls, one inserts
 * and the other reports `already_enrolled`. Expected refusals are returned,
 * not thrown, and logged; malformed input throws AppError("validation") and
 * writes nothing.
 *
 * No interactive transaction, so that a burst of calls never holds pool
 * connections across round trips: the facts are read once, then a single
 * statement locks the contact FOR SHARE, checks it may still be mailed, and
 * inserts the enrollment with its "enrolled" event. An opt-out (which locks
 * the contact FOR UPDATE) either committed before that statement, which then
 * inserts nothing and the call starts over (and refuses), or waits for its
 * commit and then ends the new enrollment.
 */
export async function enrollContact(db: Db, input: TEnrollContactInput): Promise<EnrollResult> {
  const parsed = parseOrThrow(ZEnrollContactInput, input);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const result = await attemptEnrollment(db, parsed);
    if (!result) continue;
    if (result.outcome !== "enrolled") return result;
    // After commit: the run starts only for an enrollment that exists.
    const { contactId, sequenceId } = parsed;
    await publishEvents([enrollmentStartedEvent({ enrollmentId: result.enrollmentId, contactId, sequenceId, exitOnReply: result.exitOnReply })]);
    return { outcome: "enrolled", enrollmentId: result.enrollmentId };
  }
  throw new AppError("conflict", "The contact changed while being enrolled. Please try again.");
}

type EnrollFacts = {
  contactFound: boolean;
  contactStatus: string | null;
  contactDeleted: boolean;
  sequenceFound: boolean;
  sequenceStatus: string | null;
  reentryPolicy: TReentryPolicy | null;
  exitOnReply: boolean | null;
  previousId: string | null;
  previousStatus: string | null;
  previousExit: TExitReason | null;
  firstStepId: string | null;
  delayAmount: number | null;
  delayUnit: DelayUnit | null;
};

/** One read and one write; null when the contact stopped being mailable in between. */
async function attemptEnrollment(db: Db, input: TEnrollContactInput): Promise<Attempt | null> {
  const { contactId, sequenceId, source, triggerId } = input;
  const [facts] = await db.$queryRaw<EnrollFacts[]>`
    SELECT c."id" IS NOT NULL AS "contactFound", c."status"::text AS "contactStatus", c."deletedAt" IS NOT NULL AS "contactDeleted",
           s."id" IS NOT NULL AS "sequenceFound", s."status"::text AS "sequenceStatus", s."reentryPolicy"::text AS "reentryPolicy", s."exitOnReply",
           p."id" AS "previousId", p."status"::text AS "previousStatus", p."exitReason"::text AS "previousExit",
           f."id" AS "firstStepId", f."delayAmount", f."delayUnit"::text AS "delayUnit"
    FROM (SELECT 1) AS one
    LEFT JOIN "Contact" c ON c."id" = ${contactId}
    LEFT JOIN "Sequence" s ON s."id" = ${sequenceId}
    LEFT JOIN LATERAL (
      SELECT e."id", e."status", e."exitReason" FROM "Enrollment" e
      WHERE e."contactId" = ${contactId} AND e."sequenceId" = ${sequenceId} ORDER BY e."enrolledAt" DESC LIMIT 1
    ) p ON true
    LEFT JOIN LATERAL (
      SELECT st."id", st."delayAmount", st."delayUnit" FROM "SequenceStep" st
      WHERE st."sequenceId" = ${sequenceId} AND st."deletedAt" IS NULL ORDER BY st."position" ASC, st."createdAt" ASC LIMIT 1
    ) f ON true`;

  const verdict = enrollVerdict(
    { found: facts.contactFound, status: facts.contactStatus ?? "", deleted: facts.contactDeleted },
    facts.sequenceFound ? { status: facts.sequenceStatus!, reentryPolicy: facts.reentryPolicy! } : undefined,
    facts.previousId ? { id: facts.previousId, status: facts.previousStatus!, exitReason: facts.previousExit } : undefined,
  );
  if (verdict.kind === "refused") {
    if (isLoggableRefusal(verdict.reason)) {
      await db.enrollmentEvent.create({ data: { type: "enrollment_refused", contactId, sequenceId, reason: verdict.reason, data: { source } } });
    }
    return { outcome: "refused", reason: verdict.reason };
  }
  if (verdict.kind === "live") return logDuplicate(db, input);

  const now = currentTime();
  const due = facts.delayUnit !== null && facts.delayAmount !== null ? dueAt(now, { delayAmount: facts.delayAmount, delayUnit: facts.delayUnit }) : now;
  const at = now.toISOString();
  // ON CONFLICT against the partial unique index: of two concurrent inserts,
  // the later waits for the earlier's commit and then does nothing.
  const [row] = await db.$queryRaw<{ mailable: boolean; enrollmentId: string | null }[]>`
    WITH contact AS (
      SELECT "id" FROM "Contact" WHERE "id" = ${contactId} AND "status" = 'subscribed' AND "deletedAt" IS NULL FOR SHARE
    ), inserted AS (
      INSERT INTO "Enrollment" ("id", "contactId", "sequenceId", "status", "source", "triggerId", "enrolledAt", "nextStepDueAt", "nextStepId", "updatedAt")
      SELECT gen_random_uuid()::text, ${contactId}, ${sequenceId}, 'active', ${source}, ${triggerId ?? null},
             ${at}::timestamp(3), ${due.toISOString()}::timestamp(3), ${facts.firstStepId}, ${at}::timestamp(3)
      FROM contact
      ON CONFLICT ("contactId", "sequenceId") WHERE "status" IN ('active', 'paused') DO NOTHING
      RETURNING "id"
    ), logged AS (
      INSERT INTO "EnrollmentEvent" ("type", "contactId", "sequenceId", "enrollmentId", "reason", "data", "createdAt")
      SELECT 'enrolled', ${contactId}, ${sequenceId}, i."id", ${source},
             CASE WHEN ${triggerId ?? null}::text IS NULL THEN NULL ELSE jsonb_build_object('triggerId', ${triggerId ?? null}::text) END,
             ${at}::timestamp(3)
      FROM inserted i
    )
    SELECT EXISTS (SELECT 1 FROM contact) AS "mailable", (SELECT "id" FROM inserted) AS "enrollmentId"`;
  if (!row.mailable) return null;
  if (!row.enrollmentId) return logDuplicate(db, input);
  return { outcome: "enrolled", enrollmentId: row.enrollmentId, exitOnReply: facts.exitOnReply! };
}

/** already_enrolled, logged with the live enrollment it collided with. */
async function logDuplicate(db: Db, { contactId, sequenceId, source }: TEnrollContactInput): Promise<Attempt> {
  const [row] = await db.$queryRaw<{ enrollmentId: string | null }[]>`
    INSERT INTO "EnrollmentEvent" ("type", "contactId", "sequenceId", "enrollmentId", "reason", "data", "createdAt")
    SELECT 'duplicate_refused', ${contactId}, ${sequenceId},
           (SELECT e."id" FROM "Enrollment" e WHERE e."contactId" = ${contactId} AND e."sequenceId" = ${sequenceId} AND e."status" IN ('active', 'paused') LIMIT 1),
           'already_enrolled', jsonb_build_object('source', ${source}::text), ${currentTime().toISOString()}::timestamp(3)
    RETURNING "enrollmentId"`;
  return { outcome: "already_enrolled", enrollmentId: row.enrollmentId };
}
