/**
 * Reading what plan.ts needs from the database: a sequence's steps (deleted
 * ones included) and enrollments' progress. Times travel as epoch
 * milliseconds so no time zone can slip in between PostgreSQL and here.
 */
import "server-only";
import { Prisma, type Db, type Tx } from "../../db/prisma";
import type { DelayUnit } from "../../generated/prisma/enums";
import { holidayCalendar } from "../../schedule/holidays";
import { scheduleOf } from "../../schedule/stored";
import { resolveZone, type ZoneResolution } from "../../schedule/zone";
import type { ScheduleContext } from "./due";
import type { EnrollmentState, VersionStep } from "./plan";

type StepRow = { id: string; position: number; createdAt: number; delayAmount: number; delayUnit: DelayUnit; waitUntil: string | null; deleted: boolean };

/** Every step of the sequence, deleted ones included. */
export async function loadSteps(db: Db | Tx, sequenceId: string): Promise<VersionStep[]> {
  return db.$queryRaw<StepRow[]>`
    SELECT "id", "position", (extract(epoch FROM "createdAt") * 1000)::float8 AS "createdAt",
           "delayAmount", "delayUnit"::text AS "delayUnit", "waitUntil", "deletedAt" IS NOT NULL AS "deleted"
    FROM "SequenceStep" WHERE "sequenceId" = ${sequenceId}`;
}

export type LiveEnrollment = {
  id: string;
  contactId: string;
  sequenceId: string;
  status: string;
  sequenceVersion: number | null;
  nextStepDueAt: number | null;
  /** An out-of-office hold: the next step is not due before this (epoch ms). */
  heldUntil: number | null;
  sequenceStatus: string;
  /** The sequence's current version. */
  currentVersion: number;
  /** The sequence's schedule, as plans read it. */
  rules: ScheduleContext;
  /** Whose clock: the contact's zone, or the sequence's when theirs is missing or invalid. */
  zone: ZoneResolution;
  state: EnrollmentState;
};

/** A sequence's schedule and holiday calendar from its row. */
export function rulesOf(row: { schedule: unknown; timezone: string }): ScheduleContext {
  const schedule = scheduleOf(row);
  return { schedule, holidays: holidayCalendar(schedule?.holidayCountry ?? null) };
}

type StateRow = Omit<LiveEnrollment, "state" | "rules" | "zone"> & {
  schedule: unknown;
  sequenceZone: string;
  contactZone: string | null;
  waitingStepId: string | null;
  enrolledAt: number;
  sends: { stepId: string; claimedAt: number; retry: boolean }[];
  passed: string[];
};

/** The progress of the given enrollments (or every live one of the sequence). */
export async function loadStates(db: Db | Tx, where: { enrollmentId: string } | { sequenceId: string }): Promise<LiveEnrollment[]> {
  // Two plain filters rather than one OR: each keeps its index.
  const filter =
    "enrollmentId" in where
      ? Prisma.sql`e."id" = ${where.enrollmentId}`
      : Prisma.sql`e."sequenceId" = ${where.sequenceId} AND e."status" IN ('active', 'paused')`;
  const rows = await db.$queryRaw<StateRow[]>`
    SELECT e."id", e."contactId", e."sequenceId", e."status"::text AS "status", e."sequenceVersion", e."waitingStepId",
           (extract(epoch FROM e."nextStepDueAt") * 1000)::float8 AS "nextStepDueAt",
           (extract(epoch FROM e."heldUntil") * 1000)::float8 AS "heldUntil",
           s."status"::text AS "sequenceStatus", s."version" AS "currentVersion", s."schedule", s."timezone" AS "sequenceZone",
           (SELECT c."timezone" FROM "Contact" c WHERE c."id" = e."contactId") AS "contactZone",
           (extract(epoch FROM e."enrolledAt") * 1000)::float8 AS "enrolledAt",
           coalesce((SELECT json_agg(json_build_object('stepId', ss."stepId", 'claimedAt', (extract(epoch FROM ss."claimedAt") * 1000)::float8,
                                                       'retry', ss."status" = 'failed' AND ss."retryable") ORDER BY ss."claimedAt", ss."id")
                     FROM "StepSend" ss WHERE ss."enrollmentId" = e."id"), '[]'::json) AS "sends",
           -- Passed by an edit: never sent later (by the contact's key: the event log's index).
           coalesce((SELECT json_agg(ev."stepId") FROM "EnrollmentEvent" ev
                     WHERE ev."contactId" = e."contactId" AND ev."enrollmentId" = e."id" AND ev."type" = 'step_passed'), '[]'::json) AS "passed"
    FROM "Enrollment" e JOIN "Sequence" s ON s."id" = e."sequenceId"
    WHERE ${filter}`;
  // One rules object per distinct schedule (a whole sequence's rows share it): its holiday calendar is built once.
  const rulesByKey = new Map<string, ScheduleContext>();
  const rulesFor = (schedule: unknown, timezone: string) => {
    const key = JSON.stringify([schedule, timezone]);
    let rules = rulesByKey.get(key);
    if (!rules) rulesByKey.set(key, (rules = rulesOf({ schedule, timezone })));
    return rules;
  };
  return rows.map(({ waitingStepId, enrolledAt, sends, passed, schedule, sequenceZone, contactZone, ...row }) => {
    const zone = resolveZone(contactZone, sequenceZone);
    const state = toState({ waitingStepId, enrolledAt, sends, passed }, zone.zone);
    return { ...row, rules: rulesFor(schedule, sequenceZone), zone, state: { ...state, plannedDue: row.nextStepDueAt === null ? null : new Date(row.nextStepDueAt) } };
  });
}

/**
 * A send failed before the transport took it (retryable) is not done: the
 * step is tried again. Its claim time is not an anchor either.
 */
function toState(row: Pick<StateRow, "waitingStepId" | "enrolledAt" | "sends" | "passed">, zone: string): EnrollmentState {
  const done = row.sends.filter((s) => !s.retry);
  const last = done.at(-1);
  return {
    waitingStepId: row.waitingStepId,
    // A step recorded as passed is as good as done: no later plan picks it (migrate.ts, "send" policy).
    done: new Set([...done.map((s) => s.stepId), ...row.passed]),
    anchor: new Date(last ? last.claimedAt : row.enrolledAt),
    zone,
  };
}
