/**
 * Recording opens and clicks. Every request on a valid token is kept as a
 * TrackingEvent (machine ones marked); a person's first open or click of a
 * send also adds its SendEngagement row and +1 to the step's counter in the
 * same statement, so "unique" counts need no scan and no second writer can
 * count the same send twice.
 */
import "server-only";
import type { Db } from "../db/prisma";
import type { Classification } from "./classify";

export type TrackedSend = { sendId: string; contactId: string; sequenceId: string; stepId: string; sentAt: Date | null };

/** The stored destination of link `index` of a sent message, with its send; null if none was stored. */
export async function findTrackedLink(db: Db, ref: { sendId: string; index: number }): Promise<(TrackedSend & { url: string }) | null> {
  const [row] = await db.$queryRaw<(TrackedSend & { url: string })[]>`
    SELECT l."url", ss."id" AS "sendId", e."contactId", e."sequenceId", ss."stepId", ss."sentAt"
    FROM "TrackedLink" l JOIN "StepSend" ss ON ss."id" = l."sendId" JOIN "Enrollment" e ON e."id" = ss."enrollmentId"
    WHERE l."sendId" = ${ref.sendId} AND l."index" = ${ref.index} AND ss."status" = 'sent'`;
  return row ?? null;
}

/** A sent message by its id; null if there is none (or it was never sent). */
export async function findTrackedSend(db: Db, sendId: string): Promise<TrackedSend | null> {
  const [row] = await db.$queryRaw<TrackedSend[]>`
    SELECT ss."id" AS "sendId", e."contactId", e."sequenceId", ss."stepId", ss."sentAt"
    FROM "StepSend" ss JOIN "Enrollment" e ON e."id" = ss."enrollmentId"
    WHERE ss."id" = ${sendId} AND ss."status" = 'sent'`;
  return row ?? null;
}

const ENGAGEMENT_KIND = { open: "opened", click: "clicked" } as const;

/** The UTC day counters are kept by. */
export const counterDay = (at: Date) => at.toISOString().slice(0, 10);

/** Records one open or click; returns whether it was the send's first by a person. */
export async function recordTrackingEvent(
  db: Db,
  input: { send: TrackedSend; type: "open" | "click"; linkIndex?: number; classification: Classification; userAgent: string | null; at: Date },
): Promise<{ first: boolean }> {
  const { send, type, classification, at } = input;
  const kind = ENGAGEMENT_KIND[type];
  const userAgent = input.userAgent ? input.userAgent.slice(0, 500) : null;
  const [row] = await db.$queryRaw<{ first: number }[]>`
    WITH event AS (
      INSERT INTO "TrackingEvent" ("type", "sendId", "contactId", "sequenceId", "stepId", "linkIndex", "machine", "machineReason", "userAgent", "createdAt")
      VALUES (${type}::"TrackingEventType", ${send.sendId}, ${send.contactId}, ${send.sequenceId}, ${send.stepId}, ${input.linkIndex ?? null}::int,
              ${classification.machine}, ${classification.reason}, ${userAgent}, ${at})
    ), first AS (
      INSERT INTO "SendEngagement" ("sendId", "kind", "at")
      SELECT ${send.sendId}, ${kind}, ${at} WHERE NOT ${classification.machine}::boolean
      ON CONFLICT DO NOTHING
      RETURNING 1
    ), counted AS (
      INSERT INTO "EngagementCounter" ("sequenceId", "stepId", "day", "kind", "delta")
      SELECT ${send.sequenceId}, ${send.stepId}, ${counterDay(at)}::date, ${kind}, 1 FROM first
      UNION ALL
      SELECT ${send.sequenceId}, ${send.stepId}, ${counterDay(at)}::date, 'machine', 1 WHERE ${classification.machine}::boolean
    )
    SELECT count(*)::int AS "first" FROM first`;
  return { first: row.first === 1 };
}
