/**
 * Per-step numbers for the builder's stats panel, computed set-based in a
 * handful of statements whatever the number of enrollments:
 *
 *  - waiting  active enrollments whose next step is this one: the first live
 *             step (in order) they have no send record for, which is exactly
 *             what a run sends next (planNextStep)
 *  - sent / failed  send records of the step by status
 *  - skipped  enrollments with a step_skipped event for the step that never
 *             got it; a run stopped because the sequence was paused is not a
 *             skip (resuming sends the step)
 *
 * Indexes used: Enrollment(sequenceId, status), StepSend(enrollmentId,
 * stepId) and (stepId, status), EnrollmentEvent(sequenceId, type).
 */
import { Prisma, type Db } from "../db/prisma";
import { AppError } from "../errors";
import { EXIT_REASONS, type TExitReason } from "./exit-reasons";

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
  const sequence = await db.sequence.findUnique({ where: { id: sequenceId }, select: { status: true } });
  if (!sequence) throw new AppError("not_found", "Sequence not found.");
  const steps = await db.sequenceStep.findMany({
    where: { sequenceId, deletedAt: null },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
    select: { id: true, subject: true },
  });
  const stepIds = steps.map((s) => s.id);

  const [byStatus, waiting, sends, skipped] = await Promise.all([
    db.enrollment.groupBy({ by: ["status"], where: { sequenceId }, _count: { _all: true } }),
    stepIds.length ? countWaiting(db, sequenceId, stepIds) : [],
    stepIds.length
      ? db.stepSend.groupBy({ by: ["stepId", "status"], where: { stepId: { in: stepIds }, status: { in: ["sent", "failed"] } }, _count: { _all: true } })
      : [],
    stepIds.length ? countSkipped(db, sequenceId, stepIds) : [],
  ]);

  const statusCount = (status: string) => byStatus.find((g) => g.status === status)?._count._all ?? 0;
  const sendCount = (stepId: string, status: string) => sends.find((g) => g.stepId === stepId && g.status === status)?._count._all ?? 0;
  const rowCount = (rows: { stepId: string; n: number }[], stepId: string) => rows.find((r) => r.stepId === stepId)?.n ?? 0;

  return {
    sequenceId,
    status: sequence.status,
    steps: steps.map((step, index) => ({
      stepId: step.id,
      number: index + 1,
      subject: step.subject,
      waiting: rowCount(waiting, step.id),
      sent: sendCount(step.id, "sent"),
      skipped: rowCount(skipped, step.id),
      failed: sendCount(step.id, "failed"),
    })),
    // An ended enrollment's status is its exit reason (endLiveEnrollments sets both).
    exits: Object.fromEntries(EXIT_REASONS.map((reason) => [reason, statusCount(reason)])) as Record<TExitReason, number>,
    active: statusCount("active"),
    paused: statusCount("paused"),
    completed: statusCount("completed"),
  };
}

/**
 * For each active enrollment, the first of `stepIds` (in order) it has no
 * send record for: a few probes of the unique (enrollment, step) index each.
 */
function countWaiting(db: Db, sequenceId: string, stepIds: string[]) {
  return db.$queryRaw<{ stepId: string; n: number }[]>`
    WITH steps AS (SELECT t.id, t.ord FROM unnest(${stepIds}::text[]) WITH ORDINALITY AS t(id, ord))
    SELECT nxt.id AS "stepId", count(*)::int AS n
    FROM "Enrollment" e
    CROSS JOIN LATERAL (
      SELECT s.id FROM steps s
      WHERE NOT EXISTS (SELECT 1 FROM "StepSend" ss WHERE ss."enrollmentId" = e."id" AND ss."stepId" = s.id)
      ORDER BY s.ord
      LIMIT 1
    ) nxt
    WHERE e."sequenceId" = ${sequenceId} AND e."status" = 'active'
    GROUP BY nxt.id`;
}

function countSkipped(db: Db, sequenceId: string, stepIds: string[]) {
  return db.$queryRaw<{ stepId: string; n: number }[]>`
    SELECT ev."stepId", count(DISTINCT ev."enrollmentId")::int AS n
    FROM "EnrollmentEvent" ev
    WHERE ev."sequenceId" = ${sequenceId}
      AND ev."type" = 'step_skipped'
      AND ev."stepId" IN (${Prisma.join(stepIds)})
      AND NOT starts_with(coalesce(ev."reason", ''), 'sequence_')
      AND NOT EXISTS (SELECT 1 FROM "StepSend" ss WHERE ss."enrollmentId" = ev."enrollmentId" AND ss."stepId" = ev."stepId")
    GROUP BY ev."stepId"`;
}
