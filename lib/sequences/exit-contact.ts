import { now as currentTime } from "../clock";
import { queryRows } from "../db/direct";
import { Prisma, type Db, type Tx } from "../db/prisma";
import { publishEvents } from "../events/publish";
import { ZExitContactInput, type TExitContactInput } from "../validations/enrollment";
import { parseOrThrow } from "../validations/parse";
import type { TExitReason } from "./exit-reasons";
import { exitEvent } from "./run-events";

export type ExitedEnrollment = { enrollmentId: string; sequenceId: string };

/**
 * Ends a contact's live (active or paused) enrollments with a reason: in one
 * sequence, one enrollment, or (no sequence given) all of them. Idempotent:
 * a second call finds nothing live and changes nothing. After the commit it
 * sends the matching contact.* event so running sequence runs stop early.
 */
export async function exitContact(db: Db, input: TExitContactInput): Promise<{ exited: ExitedEnrollment[] }> {
  const parsed = parseOrThrow(ZExitContactInput, input);
  // In a transaction even though it is one statement: an audited action's
  // client writes its audit row in the transaction of the change (lib/audit).
  const exited = await db.$transaction((tx) => endLiveEnrollments(tx, parsed));
  await publishExitEvents(parsed, exited);
  return { exited };
}

/** What ending an enrollment writes (one exit, one way, whichever statement ends it). */
function exitedColumns(reason: TExitContactInput["reason"], now: Date): Prisma.Sql {
  return Prisma.sql`"status" = ${reason}::"EnrollmentStatus",
          "exitReason" = ${reason}::"ExitReason",
          "exitedAt" = ${now},
          "nextStepDueAt" = NULL,
          "updatedAt" = ${now}`;
}

/**
 * The database half of exitContact, for callers that end enrollments inside
 * a larger transaction (unsubscribe, delete contact). They must call
 * publishExitEvents after their commit.
 */
export async function endLiveEnrollments(tx: Db | Tx, input: TExitContactInput): Promise<ExitedEnrollment[]> {
  const { contactId, sequenceId, enrollmentId, reason, detail } = input;
  const conditions = [
    Prisma.sql`e."contactId" = ${contactId}`,
    Prisma.sql`e."status" IN ('active', 'paused')`,
  ];
  if (sequenceId) conditions.push(Prisma.sql`e."sequenceId" = ${sequenceId}`);
  if (enrollmentId) conditions.push(Prisma.sql`e."id" = ${enrollmentId}`);
  // A reply only ends sequences that are set to exit on reply.
  if (reason === "replied") {
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "Sequence" s WHERE s."id" = e."sequenceId" AND s."exitOnReply")`);
  }

  const now = currentTime();
  // One statement: the enrollments end and their "exited" events are logged together.
  const rows = await queryRows<{ id: string; sequenceId: string }>(tx, Prisma.sql`
    WITH ended AS (
      UPDATE "Enrollment" e
      SET ${exitedColumns(reason, now)}
      WHERE ${Prisma.join(conditions, " AND ")}
      RETURNING e."id", e."sequenceId"
    ), logged AS (
      INSERT INTO "EnrollmentEvent" ("type", "contactId", "sequenceId", "enrollmentId", "reason", "data", "createdAt")
      SELECT 'exited', ${contactId}, ended."sequenceId", ended."id", ${reason}, ${detail ? JSON.stringify({ detail }) : null}::jsonb, statement_timestamp()
      FROM ended
    )
    SELECT "id", "sequenceId" FROM ended`);
  return rows.map((row) => ({ enrollmentId: row.id, sequenceId: row.sequenceId }));
}

/**
 * endLiveEnrollments for several inputs of one reason in one statement (a
 * batch of replies read from the mailbox). As if called for each in turn:
 * an enrollment more than one input names is ended by (and returned for)
 * the first of them. One list of exited enrollments per input, in order.
 */
export async function endLiveEnrollmentsMany(tx: Tx, inputs: TExitContactInput[]): Promise<ExitedEnrollment[][]> {
  if (inputs.length === 0) return [];
  const reason = inputs[0].reason;
  if (inputs.some((input) => input.reason !== reason)) throw new Error("endLiveEnrollmentsMany: one reason per call");
  const column = (pick: (input: TExitContactInput) => string | undefined) => inputs.map((input) => pick(input) || null);
  const onReply = reason === "replied" ? Prisma.sql`AND EXISTS (SELECT 1 FROM "Sequence" s WHERE s."id" = e."sequenceId" AND s."exitOnReply")` : Prisma.empty;
  const now = currentTime();
  const rows = await tx.$queryRaw<{ id: string; sequenceId: string; n: number }[]>`
    WITH target AS (
      SELECT DISTINCT ON (e."id") e."id", i."n", i."detail"
      FROM unnest(${column((i) => i.contactId)}::text[], ${column((i) => i.sequenceId)}::text[], ${column((i) => i.enrollmentId)}::text[], ${column((i) => i.detail)}::text[])
        WITH ORDINALITY AS i("contactId", "sequenceId", "enrollmentId", "detail", "n")
      JOIN "Enrollment" e ON e."contactId" = i."contactId"
        AND (i."sequenceId" IS NULL OR e."sequenceId" = i."sequenceId")
        AND (i."enrollmentId" IS NULL OR e."id" = i."enrollmentId")
      WHERE e."status" IN ('active', 'paused') ${onReply}
      ORDER BY e."id", i."n"
    ), ended AS (
      UPDATE "Enrollment" e
      SET ${exitedColumns(reason, now)}
      FROM target t
      WHERE e."id" = t."id" AND e."status" IN ('active', 'paused')
      RETURNING e."id", e."contactId", e."sequenceId", t."n", t."detail"
    ), logged AS (
      INSERT INTO "EnrollmentEvent" ("type", "contactId", "sequenceId", "enrollmentId", "reason", "data", "createdAt")
      SELECT 'exited', ended."contactId", ended."sequenceId", ended."id", ${reason},
             CASE WHEN ended."detail" IS NULL THEN NULL ELSE jsonb_build_object('detail', ended."detail") END, statement_timestamp()
      FROM ended
    )
    SELECT "id", "sequenceId", "n"::int AS "n" FROM ended`;
  const out = inputs.map((): ExitedEnrollment[] => []);
  for (const row of rows) out[row.n - 1].push({ enrollmentId: row.id, sequenceId: row.sequenceId });
  return out;
}

/** Sends the cancel event for committed exits (none for `completed`). */
export async function publishExitEvents(
  input: { contactId: string; sequenceId?: string; reason: TExitReason },
  exited: ExitedEnrollment[],
): Promise<void> {
  if (exited.length === 0) return;
  const event = exitEvent(input.reason, input.contactId, input.sequenceId ?? null);
  if (event) await publishEvents([event]);
}
