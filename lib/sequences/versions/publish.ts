/**
 * Publishing a version: inside the transaction that changed a sequence's
 * steps, migrate every live enrollment from the steps as they were to the
 * steps as they are now (migrate.ts), record each move on the timeline and
 * the version itself. After the commit, sequencePublishedEvent wakes the
 * sequence's runs to re-plan. A sequence nobody is in is simply edited: no
 * version, nothing to migrate.
 */
import "server-only";
import { now } from "../../clock";
import type { Tx } from "../../db/prisma";
import type { OutgoingEvent } from "../../events/publish";
import type { ScheduleContext } from "./due";
import { loadStates, loadSteps, type LiveEnrollment } from "./load";
import { DEFAULT_POLICY, migrate, type Migration, type MigrationGroup, type MigrationPolicy } from "./migrate";
import { settleOverdue } from "./lazy-due";
import type { VersionStep } from "./plan";

export const SEQUENCE_PUBLISHED = "stepwise/sequence.published";

export type PlannedMove = { enrollmentId: string; contactId: string; migration: Migration };
export type PublishPlan = { version: number; moves: PlannedMove[]; counts: Record<MigrationGroup | "overdue" | "passed", number> };

/** What publishing would do to every live enrollment, computed and not applied. */
export async function planPublish(
  tx: Tx,
  input: {
    sequenceId: string;
    before: readonly VersionStep[];
    /** The steps as they will be (a draft's); default: the rows as they are now. */
    after?: readonly VersionStep[];
    rulesBefore?: ScheduleContext;
    policy?: MigrationPolicy;
    /**
     * Lock the live enrollments first (the publishing transaction): a send
     * claim holds its enrollment's lock, so none can land between this plan
     * and its application. Order: sequence, then enrollments; claims and
     * exits take contact, then enrollment, and never the sequence's lock.
     */
    lock?: boolean;
  },
): Promise<PublishPlan & { live: LiveEnrollment[] }> {
  if (input.lock) {
    await tx.$queryRaw`
      SELECT "id" FROM "Enrollment" WHERE "sequenceId" = ${input.sequenceId} AND "status" IN ('active', 'paused') ORDER BY "id" FOR UPDATE`;
  }
  const after = input.after ?? (await loadSteps(tx, input.sequenceId));
  const live = await loadStates(tx, { sequenceId: input.sequenceId });
  const at = now();
  const memo = new Map();
  // migrate() is pure: enrollments with the same progress, anchor, zone and
  // rules (a sequence's contacts enrolled together, sent together) share one
  // migration, computed once.
  const shared = new Map<string, Migration>();
  const objectIds = new Map<object, number>();
  const idOf = (o: object) => {
    let id = objectIds.get(o);
    if (id === undefined) objectIds.set(o, (id = objectIds.size));
    return id;
  };
  const moves = live.map((e) => {
    // The schedule as it was (a schedule edit passes it), else the same on both sides.
    const clock = { now: at, before: input.rulesBefore ?? e.rules, after: e.rules, memo };
    const { waitingStepId, done, anchor, zone, plannedDue } = e.state;
    const key = `${waitingStepId}|${[...done].join(",")}|${anchor.getTime()}|${zone}|${plannedDue?.getTime()}|${idOf(clock.before)}|${idOf(clock.after)}`;
    let migration = shared.get(key);
    if (!migration) shared.set(key, (migration = migrate(e.state, input.before, after, input.policy ?? DEFAULT_POLICY, clock)));
    return { enrollmentId: e.id, contactId: e.contactId, migration };
  });
  if (input.lock) {
    // Publishing: every due time is about to be written; plan them now, under the locks this plan was made with.
    for (const migration of shared.values()) void migration.to?.dueAt;
  } else {
    settleOverdue([...shared.values()]);
  }
  const counts = { unchanged: 0, due_changed: 0, moved_from_deleted: 0, steps_added: 0, backfilled: 0, overdue: 0, passed: 0 };
  for (const { migration } of moves) {
    counts[migration.group]++;
    if (migration.overdue && migration.group !== "unchanged") counts.overdue++;
    if (migration.passed.length > 0) counts.passed++;
  }
  const version = (live[0]?.currentVersion ?? 0) + 1;
  return { version, moves, counts, live };
}

/**
 * Applies the plan for the sequence's current steps (the caller changed
 * them in `tx`, holding the sequence's lock). Returns null when nobody is
 * enrolled: then there is no version and no run to wake.
 */
export async function publishVersion(
  tx: Tx,
  input: {
    sequenceId: string;
    before: readonly VersionStep[];
    rulesBefore?: ScheduleContext;
    summary: string;
    publishedBy?: string | null;
    policy?: MigrationPolicy;
    /** The plan already computed in this transaction (a draft's publish: the one its preview was checked against). */
    plan?: PublishPlan & { live: LiveEnrollment[] };
  },
): Promise<{ version: number; counts: PublishPlan["counts"] } | null> {
  const plan = input.plan ?? (await planPublish(tx, { ...input, lock: true }));
  if (plan.live.length === 0) return null;
  const [{ version }] = await tx.$queryRaw<{ version: number }[]>`
    UPDATE "Sequence" SET "version" = "version" + 1 WHERE "id" = ${input.sequenceId} RETURNING "version"`;
  await applyMoves(tx, input.sequenceId, version, plan.moves);
  await tx.sequenceVersion.create({
    data: {
      sequenceId: input.sequenceId,
      number: version,
      steps: (await loadSteps(tx, input.sequenceId)).map((s) => ({ ...s })),
      summary: input.summary,
      plan: plan.counts,
      publishedBy: input.publishedBy ?? null,
      publishedAt: now(),
    },
  });
  return { version, counts: plan.counts };
}

/**
 * Every enrollment's new place in one statement, its timeline lines in one
 * more (arrays unnested, not a statement per row).
 */
async function applyMoves(tx: Tx, sequenceId: string, version: number, moves: PlannedMove[]): Promise<void> {
  const ids: string[] = [];
  const waiting: (string | null)[] = [];
  const due: (string | null)[] = [];
  const events = { type: [] as string[], contactId: [] as string[], enrollmentId: [] as string[], stepId: [] as string[], reason: [] as string[], data: [] as string[] };
  const log = (type: string, contactId: string, enrollmentId: string, stepId: string, reason: string, data: unknown) => {
    events.type.push(type);
    events.contactId.push(contactId);
    events.enrollmentId.push(enrollmentId);
    events.stepId.push(stepId);
    events.reason.push(reason);
    events.data.push(JSON.stringify(data));
  };
  for (const { enrollmentId, contactId, migration: m } of moves) {
    ids.push(enrollmentId);
    // No step left: keep pointing at the deleted one; the run plans "complete".
    const waitingStep = m.to?.stepId ?? m.from?.stepId ?? null;
    waiting.push(waitingStep);
    due.push(m.to ? m.to.dueAt.toISOString() : null);
    if (m.group === "moved_from_deleted" && m.from) {
      const stepId = m.to?.stepId ?? m.from.stepId;
      log("step_moved", contactId, enrollmentId, stepId, "step_deleted", { version, fromStepId: m.from.stepId, dueAt: m.to?.dueAt ?? null });
    } else if (m.group === "backfilled" && m.to) {
      log("step_moved", contactId, enrollmentId, m.to.stepId, "backfilled", { version, fromStepId: m.from?.stepId ?? null, dueAt: m.to.dueAt });
    } else if (m.group === "due_changed" && m.from && m.to) {
      log("step_moved", contactId, enrollmentId, m.to.stepId, "delay_changed", { version, fromDueAt: m.from.dueAt, dueAt: m.to.dueAt });
    }
    for (const p of m.passed) log("step_passed", contactId, enrollmentId, p.stepId, p.reason, { version });
  }
  const at = now();
  // The stats' cache (nextStepId, enrollment_next_step's one definition)
  // follows the waiting step. When that step is live and has no send record
  // it is by definition the next step: set in the same statement, so most
  // rows are written once, not twice.
  await tx.$executeRaw`
    UPDATE "Enrollment" e
    SET "waitingStepId" = v."waiting",
        "nextStepDueAt" = coalesce(v."due"::timestamp(3), e."nextStepDueAt"), "sequenceVersion" = ${version}::int, "updatedAt" = ${at},
        "nextStepId" = CASE
          WHEN v."waiting" IS NOT DISTINCT FROM e."waitingStepId" THEN e."nextStepId"
          WHEN st."deletedAt" IS NULL AND NOT EXISTS (SELECT 1 FROM "StepSend" ss WHERE ss."enrollmentId" = e."id" AND ss."stepId" = v."waiting") THEN v."waiting"
          ELSE e."nextStepId" END
    FROM unnest(${ids}::text[], ${waiting}::text[], ${due}::text[]) AS v("id", "waiting", "due")
    LEFT JOIN "SequenceStep" st ON st."id" = v."waiting"
    WHERE e."id" = v."id" AND e."status" IN ('active', 'paused')`;
  // Then the function for every moved row (the definition is the truth: a
  // cache made stale elsewhere is repaired here too), called once per row.
  await tx.$executeRaw`
    UPDATE "Enrollment" e SET "nextStepId" = n."next"
    FROM (SELECT x."id", enrollment_next_step(x."id", x."sequenceId") AS "next" FROM "Enrollment" x
          WHERE x."id" = ANY(${ids}::text[]) AND x."status" IN ('active', 'paused')) n
    WHERE e."id" = n."id" AND e."nextStepId" IS DISTINCT FROM n."next"`;
  if (events.type.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "EnrollmentEvent" ("type", "contactId", "sequenceId", "enrollmentId", "stepId", "reason", "data", "createdAt")
    SELECT v."type"::"EnrollmentEventType", v."contactId", ${sequenceId}, v."enrollmentId", v."stepId", v."reason", v."data"::jsonb, ${at}
    FROM unnest(${events.type}::text[], ${events.contactId}::text[], ${events.enrollmentId}::text[], ${events.stepId}::text[],
                ${events.reason}::text[], ${events.data}::text[]) AS v("type", "contactId", "enrollmentId", "stepId", "reason", "data")`;
}

/** Wakes the sequence's sleeping runs (send after the commit). */
export function sequencePublishedEvent(sequenceId: string, version: number): OutgoingEvent {
  return { name: SEQUENCE_PUBLISHED, id: `sequence-published-${sequenceId}-${version}`, data: { sequenceId, version } };
}
