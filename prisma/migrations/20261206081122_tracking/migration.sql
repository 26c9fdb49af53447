-- CreateEnum
CREATE TYPE "TrackingEventType" AS ENUM ('open', 'click');

-- AlterTable
ALTER TABLE "Sequence" ADD COLUMN     "trackingEnabled" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "TrackedLink" (
    "sendId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "url" TEXT NOT NULL,

    CONSTRAINT "TrackedLink_pkey" PRIMARY KEY ("sendId","index")
);

-- CreateTable
CREATE TABLE "TrackingEvent" (
    "id" BIGSERIAL NOT NULL,
    "type" "TrackingEventType" NOT NULL,
    "sendId" TEXT NOT NULL,
    "contactId" TEXT NOT NULL,
    "sequenceId" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "linkIndex" INTEGER,
    "machine" BOOLEAN NOT NULL,
    "machineReason" TEXT,
    "userAgent" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrackingEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SendEngagement" (
    "sendId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SendEngagement_pkey" PRIMARY KEY ("sendId","kind")
);

-- CreateTable
CREATE TABLE "EngagementCounter" (
    "id" BIGSERIAL NOT NULL,
    "sequenceId" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "kind" TEXT NOT NULL,
    "delta" INTEGER NOT NULL,

    CONSTRAINT "EngagementCounter_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TrackingEvent_contactId_createdAt_idx" ON "TrackingEvent"("contactId", "createdAt");

-- CreateIndex
CREATE INDEX "TrackingEvent_sendId_idx" ON "TrackingEvent"("sendId");

-- CreateIndex
CREATE INDEX "EngagementCounter_sequenceId_day_idx" ON "EngagementCounter"("sequenceId", "day");

-- AddForeignKey
ALTER TABLE "TrackedLink" ADD CONSTRAINT "TrackedLink_sendId_fkey" FOREIGN KEY ("sendId") REFERENCES "StepSend"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- ---------------------------------------------------------------------------
-- Hand-written: "sent" in EngagementCounter, per UTC day of sentAt, kept by
-- statement-level triggers on StepSend (timestamps are stored in UTC without a zone, so ::date is the UTC day) (like the *_stats_counters ones), so
-- the analytics' date range needs no scan of the send records. The other
-- kinds are appended by lib/tracking in the statement that records them.
-- ---------------------------------------------------------------------------
CREATE FUNCTION "engagement_sends_changed"() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO "EngagementCounter" ("sequenceId", "stepId", "day", "kind", "delta")
        SELECT st."sequenceId", a."stepId", a."sentAt"::date, 'sent', count(*)::int
        FROM added a JOIN "SequenceStep" st ON st."id" = a."stepId"
        WHERE a."status" = 'sent' AND a."sentAt" IS NOT NULL
        GROUP BY 1, 2, 3;
    ELSE
        INSERT INTO "EngagementCounter" ("sequenceId", "stepId", "day", "kind", "delta")
        SELECT st."sequenceId", k."stepId", k."day", 'sent', sum(k."delta")::int
        FROM (
            SELECT "stepId", "sentAt"::date AS "day", -1 AS "delta" FROM before_rows WHERE "status" = 'sent' AND "sentAt" IS NOT NULL
            UNION ALL
            SELECT "stepId", "sentAt"::date, 1 FROM after_rows WHERE "status" = 'sent' AND "sentAt" IS NOT NULL
        ) k JOIN "SequenceStep" st ON st."id" = k."stepId"
        GROUP BY 1, 2, 3
        HAVING sum(k."delta") <> 0;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER "engagement_sends_inserted"
    AFTER INSERT ON "StepSend" REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION "engagement_sends_changed"();
CREATE TRIGGER "engagement_sends_updated"
    AFTER UPDATE ON "StepSend" REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
    FOR EACH STATEMENT EXECUTE FUNCTION "engagement_sends_changed"();

-- Folds a sequence's deltas into one row per (step, day, kind); safe against
-- concurrent folds and writers for the same reason as sequence_counters_fold.
CREATE FUNCTION "engagement_counters_fold"(sequence_id text) RETURNS void
    LANGUAGE sql AS $$
    WITH folded AS (
        DELETE FROM "EngagementCounter" WHERE "sequenceId" = sequence_id RETURNING "stepId", "day", "kind", "delta"
    )
    INSERT INTO "EngagementCounter" ("sequenceId", "stepId", "day", "kind", "delta")
    SELECT sequence_id, "stepId", "day", "kind", sum("delta")::int FROM folded GROUP BY "stepId", "day", "kind" HAVING sum("delta") <> 0
$$;

-- Existing installs: what was sent so far.
INSERT INTO "EngagementCounter" ("sequenceId", "stepId", "day", "kind", "delta")
SELECT st."sequenceId", ss."stepId", ss."sentAt"::date, 'sent', count(*)::int
FROM "StepSend" ss JOIN "SequenceStep" st ON st."id" = ss."stepId"
WHERE ss."status" = 'sent' AND ss."sentAt" IS NOT NULL
GROUP BY 1, 2, 3;
