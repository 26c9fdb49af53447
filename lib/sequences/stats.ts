/**
 * Per-step numbers for the builder's stats panel. It is polled every few
 * seconds whatever the number of enrollments, so every count comes from
 * SequenceCounter, running totals kept by database triggers, in one
 * statement that sums them (no count over enrollments, sends or the log):
 *
 *  - waiting  active enrollments whose next step is this one: the first live
 *             step (in order) they have no send record for, which is exactly
 *             what a run sends next (planNextStep); Enrollment.nextStepId
 *             (migrations *_stats_next_step, *_stats_counters)
 *  - sent / failed  send records of the step by status (*_stats_counters)
 *  - skipped  enrollments with a step_skipped event for the step that never
 *             got it; a run stopped because the sequence was paused is not a
 *             skip (resuming sends the step). Kept as SkippedStep rows, one
 *             per (enrollment, step), flagged once the step has a send record
 *             (*_skipped_step_counters): it was an anti-join of the step's
 *             skip events against StepSend on each read, 19.6 ms of ~39 ms at
 *             1M contacts (docs/benchmarks.md).
 *  - exits and live counts: enrollments by status (*_stats_counters)
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
    ), counters AS (
      SELECT "key", "delta" FROM "SequenceCounter" WHERE "sequenceId" = ${sequenceId}
    )
    SELECT
      (SELECT "status"::text FROM "Sequence" WHERE "id" = ${sequenceId}) AS "status",
      (SELECT coalesce(json_agg(json_build_array(s."id", s."number", s."subject") ORDER BY s."number"), '[]') FROM steps s)::text AS "steps",
      (SELECT coalesce(json_object_agg(t."key", t.n), '{}') FROM (SELECT "key", sum("delta") AS n FROM counters GROUP BY "key") t)::text AS "totals",
      (SELECT count(*)::int FROM counters) AS "rows"`;
  if (!row.status) throw new AppError("not_found", "Sequence not found.");
  if (row.rows > FOLD_AT) await db.$executeRaw`SELECT "sequence_counters_fold"(${sequenceId})`;

  const totals = JSON.parse(row.totals) as Record<string, number>;
  const total = (key: string) => totals[key] ?? 0;
  const steps = JSON.parse(row.steps) as [string, number, string][];
  return {
    sequenceId,
    status: row.status,
    steps: steps.map(([stepId, number, subject]) => ({
      stepId,
      number,
      subject,
      waiting: total(`waiting:${stepId}`),
      sent: total(`sent:${stepId}`),
      skipped: total(`skipped:${stepId}`),
      failed: total(`failed:${stepId}`),
    })),
    // An ended enrollment's status is its exit reason (endLiveEnrollments sets both).
    exits: Object.fromEntries(EXIT_REASONS.map((reason) => [reason, total(`status:${reason}`)])) as Record<TExitReason, number>,
    active: total("status:active"),
    paused: total("status:paused"),
    completed: total("status:completed"),
  };
}
