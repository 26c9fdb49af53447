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
  const moves = live.map((e) => ({
    enrollmentId: e.id,
    contactId: e.contactId,
    // The schedule as it was (a schedule edit passes it), else the same on both sides.
    migration: migrate(e.state, input.before, after, input.policy ?? DEFAULT_POLICY, { now: at, before: input.rulesBefore ?? e.rules, after: e.rules, memo }),
  }));
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

/** Every enrollment's new place in one statement, its timeline lines in one more. */
async function applyMoves(tx: Tx, sequenceId: string, version: number, moves: PlannedMove[]): Promise<void> {
  const ids: string[] = [];
  const waiting: (string | null)[] = [];
  const due: (string | null)[] = [];
  const events: { type: string; contactId: string; enrollmentId: string; stepId: string; reason: string; data: unknown }[] = [];
  for (const { enrollmentId, contactId, migration: m } of moves) {
    ids.push(enrollmentId);
    // No step left: keep pointing at the deleted one; the run plans "complete".
    waiting.push(m.to?.stepId ?? m.from?.stepId ?? null);
    due.push(m.to ? m.to.dueAt.toISOString() : null);
    if (m.group === "moved_from_deleted" && m.from) {
      const stepId = m.to?.stepId ?? m.from.stepId;
      events.push({ type: "step_moved", contactId, enrollmentId, stepId, reason: "step_deleted", data: { version, fromStepId: m.from.stepId, dueAt: m.to?.dueAt ?? null } });
    } else if (m.group === "backfilled" && m.to) {
      events.push({ type: "step_moved", contactId, enrollmentId, stepId: m.to.stepId, reason: "backfilled", data: { version, fromStepId: m.from?.stepId ?? null, dueAt: m.to.dueAt } });
    } else if (m.group === "due_changed" && m.from && m.to) {
      events.push({ type: "step_moved", contactId, enrollmentId, stepId: m.to.stepId, reason: "delay_changed", data: { version, fromDueAt: m.from.dueAt, dueAt: m.to.dueAt } });
    }
    for (const p of m.passed) events.push({ type: "step_passed", contactId, enrollmentId, stepId: p.stepId, reason: p.reason, data: { version } });
  }
  const at = now();
  await tx.$executeRaw`
    UPDATE "Enrollment" e
    SET "waitingStepId" = v."waiting",
        "nextStepDueAt" = coalesce(v."due"::timestamp(3), e."nextStepDueAt"), "sequenceVersion" = ${version}::int, "updatedAt" = ${at}
    FROM unnest(${ids}::text[], ${waiting}::text[], ${due}::text[]) AS v("id", "waiting", "due")
    WHERE e."id" = v."id" AND e."status" IN ('active', 'paused')`;
  // The stats' cache follows its one definition, now that the waiting steps moved.
  await tx.$executeRaw`
    UPDATE "Enrollment" e SET "nextStepId" = enrollment_next_step(e."id", e."sequenceId")
    WHERE e."id" = ANY(${ids}::text[]) AND e."status" IN ('active', 'paused')
      AND e."nextStepId" IS DISTINCT FROM enrollment_next_step(e."id", e."sequenceId")`;
  if (events.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "EnrollmentEvent" ("type", "contactId", "sequenceId", "enrollmentId", "stepId", "reason", "data", "createdAt")
    SELECT v."type"::"EnrollmentEventType", v."contactId", ${sequenceId}, v."enrollmentId", v."stepId", v."reason", v."data", ${at}
    FROM jsonb_to_recordset(${JSON.stringify(events)}::jsonb)
      AS v("type" text, "contactId" text, "enrollmentId" text, "stepId" text, "reason" text, "data" jsonb)`;
}

/** Wakes the sequence's sleeping runs (send after the commit). */
export function sequencePublishedEvent(sequenceId: string, version: number): OutgoingEvent {
  return { name: SEQUENCE_PUBLISHED, id: `sequence-published-${sequenceId}-${version}`, data: { sequenceId, version } };
}
