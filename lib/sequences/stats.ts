/**
 * Per-step numbers for the builder's stats panel. It is polled every few
 * seconds whatever the number of enrollments, so the counts come from
 * SequenceCounter, running totals kept by database triggers (see the
 * migration *_stats_counters), in one statement:
 *
 *  - waiting  active enrollments whose next step is this one: the first live
 *             step (in order) they have no send record for, which is exactly
 *             what a run sends next (planNextStep); Enrollment.nextStepId
 *  - sent / failed  send records of the step by status
 *  - skipped  enrollments with a step_skipped event for the step that never
 *             got it; a run stopped because the sequence was paused is not a
 *             skip (resuming sends the step). Counted from the log, on the
 *             partial index event_skipped.
 *  - exits and live counts: enrollments by status
 */
import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import { EXIT_REASONS, type TExitReason } from "./exit-reasons";

/** Past this many delta rows a read folds them (one row per key) for the next reads. */
const FOLD_AT = 500;

export type StepStats = {
  stepId: string;
  /** 1-based, among live steps. */
  number: number;
  subject: string;
  waiting: number;
  sent: number;
  skipped: number;
  failed: number;
};

export type SequenceStats = {
  sequenceId: string;
  status: string;
  steps: StepStats[];
  /** Enrollments that ended, per reason (completed included). */
  exits: Record<TExitReason, number>;
  active: number;
  paused: number;
  completed: number;
};

/** The stats panel's numbers for one sequence; AppError("not_found") if none. */
export async function getSequenceStats(db: Db, sequenceId: string): Promise<SequenceStats> {
  const [row] = await db.$queryRaw<{ status: string | null; steps: string; totals: string; rows: number }[]>`
    WITH steps AS (
      SELECT st."id", st."subject", row_number() OVER (ORDER BY st."position", st."createdAt") AS "number"
      FROM "SequenceStep" st WHERE st."sequenceId" = ${sequenceId} AND st."deletedAt" IS NULL
    ), skipped AS (
      SELECT ev."stepId", count(DISTINCT ev."enrollmentId")::int AS n
      FROM "EnrollmentEvent" ev
      WHERE ev."sequenceId" = ${sequenceId}
        AND ev."type" = 'step_skipped'
        AND ev."stepId" IN (SELECT "id" FROM steps)
        AND NOT starts_with(coalesce(ev."reason", ''), 'sequence_')
        AND NOT EXISTS (SELECT 1 FROM "StepSend" ss WHERE ss."enrollmentId" = ev."enrollmentId" AND ss."stepId" = ev."stepId")
      GROUP BY ev."stepId"
    ), counters AS (
      SELECT "key", "delta" FROM "SequenceCounter" WHERE "sequenceId" = ${sequenceId}
    )
    SELECT
      (SELECT "status"::text FROM "Sequence" WHERE "id" = ${sequenceId}) AS "status",
      (SELECT coalesce(json_agg(json_build_array(s."id", s."number", s."subject", coalesce(sk.n, 0)) ORDER BY s."number"), '[]')
       FROM steps s LEFT JOIN skipped sk ON sk."stepId" = s."id")::text AS "steps",
      (SELECT coalesce(json_object_agg(t."key", t.n), '{}') FROM (SELECT "key", sum("delta") AS n FROM counters GROUP BY "key") t)::text AS "totals",
      (SELECT count(*)::int FROM counters) AS "rows"`;
  if (!row.status) throw new AppError("not_found", "Sequence not found.");
  if (row.rows > FOLD_AT) await db.$executeRaw`SELECT "sequence_counters_fold"(${sequenceId})`;

  const totals = JSON.parse(row.totals) as Record<string, number>;
  const total = (key: string) => totals[key] ?? 0;
  const steps = JSON.parse(row.steps) as [string, number, string, number][];
  return {
    sequenceId,
    status: row.status,
    steps: steps.map(([stepId, number, subject, skipped]) => ({
      stepId,
      number,
      subject,
      waiting: total(`waiting:${stepId}`),
      sent: total(`sent:${stepId}`),
      skipped,
      failed: total(`failed:${stepId}`),
    })),
    // An ended enrollment's status is its exit reason (endLiveEnrollments sets both).
    exits: Object.fromEntries(EXIT_REASONS.map((reason) => [reason, total(`status:${reason}`)])) as Record<TExitReason, number>,
    active: total("status:active"),
    paused: total("status:paused"),
    completed: total("status:completed"),
  };
}
