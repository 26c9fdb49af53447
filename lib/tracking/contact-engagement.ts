/**
 * A contact's opens and clicks, newest first, with the message each came
 * from (its step, and the Sent mail page's copy when the catcher holds one).
 * Machine ones are included and marked: the timeline shows what happened,
 * the stats count only people.
 */
import "server-only";
import type { Db } from "../db/prisma";

export const CONTACT_ENGAGEMENT_LIMIT = 50;

export type EngagementItem = {
  id: string;
  type: "open" | "click";
  at: Date;
  machine: boolean;
  machineReason: string | null;
  sequenceId: string;
  sequenceName: string;
  stepSubject: string;
  /** The link's URL as sent (clicks). */
  url: string | null;
  /** The Sent mail page's id of the message, when it is there. */
  mailId: string | null;
};

export async function contactEngagement(db: Db, contactId: string): Promise<EngagementItem[]> {
  const rows = await db.$queryRaw<(Omit<EngagementItem, "id"> & { id: bigint })[]>`
    SELECT te."id", te."type"::text AS "type", te."createdAt" AS "at", te."machine", te."machineReason",
           te."sequenceId", s."name" AS "sequenceName", st."subject" AS "stepSubject", l."url",
           (SELECT cm."id" FROM "CaughtMessage" cm WHERE cm."messageId" = ss."messageId" LIMIT 1) AS "mailId"
    FROM "TrackingEvent" te
    JOIN "Sequence" s ON s."id" = te."sequenceId"
    JOIN "SequenceStep" st ON st."id" = te."stepId"
    JOIN "StepSend" ss ON ss."id" = te."sendId"
    LEFT JOIN "TrackedLink" l ON l."sendId" = te."sendId" AND l."index" = te."linkIndex"
    WHERE te."contactId" = ${contactId}
    ORDER BY te."createdAt" DESC, te."id" DESC
    LIMIT ${CONTACT_ENGAGEMENT_LIMIT}`;
  return rows.map((r) => ({ ...r, id: String(r.id) }));
}
