/**
 * Recording opens and clicks, in one statement per request: it finds the
 * sent message (and, for a click, the link stored for it), keeps the
 * request as a TrackingEvent (machine ones marked), and for a person's first
 * open or click of that message adds its SendEngagement row and +1 to the
 * step's counter. "Unique" counts need no scan, and no second request can
 * count the same message twice. Nothing is written when the token names no
 * sent message or no stored link.
 *
 * Floods are bounded: the event row is inserted ON CONFLICT DO NOTHING
 * against tracking_event_dedupe, one row per (send, type, link, machine
 * reason) and UTC minute of the request, and a machine event not kept adds
 * nothing to the counters either. The caller still answers the request (a
 * click still redirects to its stored URL); it is only not recorded again.
 */
import "server-only";
import { Prisma, type Db } from "../db/prisma";
import { SCANNER_WINDOW_MS, type Classification } from "./classify";

const ENGAGEMENT_KIND = { open: "opened", click: "clicked" } as const;

/** The UTC day counters are kept by. */
export const counterDay = (at: Date) => at.toISOString().slice(0, 10);

export type Visit = { url: string | null; machine: boolean; reason: string | null };

/**
 * `classification` is what the request alone says (classifyRequest without
 * the send time); the statement adds the rule that needs the send time: a
 * click within SCANNER_WINDOW_MS of sending is a scanner's (too_fast).
 * Returns null when there is no such sent message or link.
 */
export async function recordVisit(
  db: Db,
  input: { type: "open" | "click"; sendId: string; linkIndex?: number; classification: Classification; userAgent: string | null; at: Date },
): Promise<Visit | null> {
  const { type, sendId, classification, at } = input;
  const kind = ENGAGEMENT_KIND[type];
  const day = counterDay(at);
  const userAgent = input.userAgent ? input.userAgent.slice(0, 500) : null;
  const linkIndex = type === "click" ? (input.linkIndex ?? 0) : null;
  const target =
    type === "click"
      ? Prisma.sql`SELECT l."url", ss."id" AS "sendId", e."contactId", e."sequenceId", ss."stepId", ss."sentAt"
          FROM "TrackedLink" l JOIN "StepSend" ss ON ss."id" = l."sendId" JOIN "Enrollment" e ON e."id" = ss."enrollmentId"
          WHERE l."sendId" = ${sendId} AND l."index" = ${linkIndex} AND ss."status" = 'sent'`
      : Prisma.sql`SELECT NULL::text AS "url", ss."id" AS "sendId", e."contactId", e."sequenceId", ss."stepId", ss."sentAt"
          FROM "StepSend" ss JOIN "Enrollment" e ON e."id" = ss."enrollmentId"
          WHERE ss."id" = ${sendId} AND ss."status" = 'sent'`;
  const scannerSince = type === "click" ? new Date(at.getTime() - SCANNER_WINDOW_MS) : null;
  const [row] = await db.$queryRaw<Visit[]>`
    WITH target AS (${target}),
    classified AS (
      SELECT t.*, coalesce(${classification.reason}::text, CASE WHEN t."sentAt" > ${scannerSince} THEN 'too_fast' END) AS "reason" FROM target t
    ), event AS (
      INSERT INTO "TrackingEvent" ("type", "sendId", "contactId", "sequenceId", "stepId", "linkIndex", "machine", "machineReason", "userAgent", "createdAt")
      SELECT ${type}::"TrackingEventType", c."sendId", c."contactId", c."sequenceId", c."stepId", ${linkIndex}::int, c."reason" IS NOT NULL, c."reason", ${userAgent}, ${at}
      FROM classified c
      ON CONFLICT DO NOTHING
      RETURNING 1
    ), first AS (
      INSERT INTO "SendEngagement" ("sendId", "kind", "at")
      SELECT c."sendId", ${kind}, ${at} FROM classified c WHERE c."reason" IS NULL
      ON CONFLICT DO NOTHING
      RETURNING "sendId"
    ), counted AS (
      INSERT INTO "EngagementCounter" ("sequenceId", "stepId", "day", "kind", "delta")
      SELECT c."sequenceId", c."stepId", ${day}::date, ${kind}, 1 FROM classified c JOIN first f ON f."sendId" = c."sendId"
      UNION ALL
      SELECT c."sequenceId", c."stepId", ${day}::date, 'machine', 1 FROM classified c WHERE c."reason" IS NOT NULL AND EXISTS (SELECT 1 FROM event)
    )
    SELECT c."url", c."reason" IS NOT NULL AS "machine", c."reason" FROM classified c`;
  return row ?? null;
}
