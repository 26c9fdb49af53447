-- DropIndex
DROP INDEX "TrackingEvent_sendId_idx";


-- ---------------------------------------------------------------------------
-- Hand-written: tracking_event_dedupe. A flood of requests on one tracked
-- link or pixel (a client looping, a scanner retrying) must not write
-- unbounded rows: lib/tracking/record.ts inserts with ON CONFLICT DO NOTHING,
-- so each (send, type, link, machine reason) keeps at most one event per UTC
-- minute, while every request is still answered (a click still redirects).
-- It leads with "sendId", so it also serves the reads by send the dropped
-- index served. date_trunc on a timestamp without time zone is immutable.
-- Existing duplicates within a minute are removed first (keeping the first).
-- ---------------------------------------------------------------------------
DELETE FROM "TrackingEvent" t
USING "TrackingEvent" earlier
WHERE earlier."sendId" = t."sendId" AND earlier."type" = t."type"
  AND coalesce(earlier."linkIndex", -1) = coalesce(t."linkIndex", -1)
  AND coalesce(earlier."machineReason", '') = coalesce(t."machineReason", '')
  AND date_trunc('minute', earlier."createdAt") = date_trunc('minute', t."createdAt")
  AND earlier."id" < t."id";

CREATE UNIQUE INDEX "tracking_event_dedupe" ON "TrackingEvent" (
    "sendId", "type", coalesce("linkIndex", -1), coalesce("machineReason", ''), date_trunc('minute', "createdAt")
);
