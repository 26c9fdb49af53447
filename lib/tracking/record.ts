/**
 * Recording opens and clicks, in one statement per request (the database
 * function tracking_record_visit, whose plan each connection keeps): it finds the
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
import type { Db } from "../db/prisma";
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
  const scannerSince = type === "click" ? new Date(at.getTime() - SCANNER_WINDOW_MS) : null;
  // The statement lives in the database as tracking_record_visit (migration
  // *_tracking_record_visit), so its plan is kept per connection: planned
  // here on every request it cost more than running it.
  const [row] = await db.$queryRaw<Visit[]>`
    SELECT "url", "machine", "reason" FROM "tracking_record_visit"(
      ${type}::"TrackingEventType", ${sendId}::text, ${linkIndex}::int, ${classification.reason}::text, ${scannerSince}::timestamp(3),
      ${userAgent}::text, ${at}::timestamp(3), ${kind}::text, ${day}::date)`;
  return row ?? null;
}
