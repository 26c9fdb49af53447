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
DELETE FROM "TrackingEvent" WHERE "id" IN (
    SELECT "id" FROM (
        SELECT "id", row_number() OVER (
            PARTITION BY "sendId", "type", coalesce("linkIndex", -1), coalesce("machineReason", ''), date_trunc('minute', "createdAt")
            ORDER BY "id") AS n
        FROM "TrackingEvent") ranked
    WHERE n > 1);

CREATE UNIQUE INDEX "tracking_event_dedupe" ON "TrackingEvent" (
    "sendId", "type", coalesce("linkIndex", -1), coalesce("machineReason", ''), date_trunc('minute', "createdAt")
);
