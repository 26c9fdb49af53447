-- CreateTable
CREATE TABLE "SequenceCounter" (
    "id" BIGSERIAL NOT NULL,
    "sequenceId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "delta" INTEGER NOT NULL,

    CONSTRAINT "SequenceCounter_pkey" PRIMARY KEY ("id")
);

-- DropIndex
DROP INDEX "EnrollmentEvent_enrollmentId_createdAt_idx";

-- DropIndex
DROP INDEX "EnrollmentEvent_sequenceId_type_idx";

-- CreateIndex
CREATE INDEX "SequenceCounter_sequenceId_idx" ON "SequenceCounter"("sequenceId");

-- AddForeignKey
ALTER TABLE "SequenceCounter" ADD CONSTRAINT "SequenceCounter_sequenceId_fkey" FOREIGN KEY ("sequenceId") REFERENCES "Sequence"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- ---------------------------------------------------------------------------
-- Hand-written: the triggers that keep "SequenceCounter", the function that
-- folds it, the index for skipped steps, and a backfill.
--
-- Every change to Enrollment (status, nextStepId) and StepSend (status)
-- appends (sequence, key, delta) rows in the same statement, so the totals
-- are right whoever writes and commit or roll back with the change. Writers
-- only INSERT: concurrent sends never queue on a shared counter row.
-- ---------------------------------------------------------------------------

-- An enrollment counts once under "status:<status>", and an active one with a
-- next step once under "waiting:<nextStepId>".
CREATE FUNCTION "counters_enrollments_inserted"() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "SequenceCounter" ("sequenceId", "key", "delta")
    SELECT k."sequenceId", k."key", count(*)::int
    FROM (
        SELECT "sequenceId", 'status:' || "status" AS "key" FROM added
        UNION ALL
        SELECT "sequenceId", 'waiting:' || "nextStepId" FROM added WHERE "status" = 'active' AND "nextStepId" IS NOT NULL
    ) k
    GROUP BY k."sequenceId", k."key";
    RETURN NULL;
END;
$$;

CREATE FUNCTION "counters_enrollments_updated"() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "SequenceCounter" ("sequenceId", "key", "delta")
    SELECT k."sequenceId", k."key", sum(k."delta")::int
    FROM (
        SELECT "sequenceId", 'status:' || "status" AS "key", -1 AS "delta" FROM before_rows
        UNION ALL
        SELECT "sequenceId", 'waiting:' || "nextStepId", -1 FROM before_rows WHERE "status" = 'active' AND "nextStepId" IS NOT NULL
        UNION ALL
        SELECT "sequenceId", 'status:' || "status", 1 FROM after_rows
        UNION ALL
        SELECT "sequenceId", 'waiting:' || "nextStepId", 1 FROM after_rows WHERE "status" = 'active' AND "nextStepId" IS NOT NULL
    ) k
    GROUP BY k."sequenceId", k."key"
    HAVING sum(k."delta") <> 0;
    RETURN NULL;
END;
$$;

CREATE FUNCTION "counters_enrollments_deleted"() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "SequenceCounter" ("sequenceId", "key", "delta")
    SELECT k."sequenceId", k."key", -count(*)::int
    FROM (
        SELECT "sequenceId", 'status:' || "status" AS "key" FROM removed
        UNION ALL
        SELECT "sequenceId", 'waiting:' || "nextStepId" FROM removed WHERE "status" = 'active' AND "nextStepId" IS NOT NULL
    ) k
    WHERE EXISTS (SELECT 1 FROM "Sequence" s WHERE s."id" = k."sequenceId")
    GROUP BY k."sequenceId", k."key";
    RETURN NULL;
END;
$$;

CREATE TRIGGER "counters_enrollments_inserted"
    AFTER INSERT ON "Enrollment" REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION "counters_enrollments_inserted"();
CREATE TRIGGER "counters_enrollments_updated"
    AFTER UPDATE ON "Enrollment" REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
    FOR EACH STATEMENT EXECUTE FUNCTION "counters_enrollments_updated"();
CREATE TRIGGER "counters_enrollments_deleted"
    AFTER DELETE ON "Enrollment" REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION "counters_enrollments_deleted"();

-- A send record counts under "sent:<stepId>" or "failed:<stepId>" while it has
-- that status ("claimed" is not shown), for the step's sequence.
CREATE FUNCTION "counters_sends_inserted"() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "SequenceCounter" ("sequenceId", "key", "delta")
    SELECT st."sequenceId", a."status" || ':' || a."stepId", count(*)::int
    FROM added a JOIN "SequenceStep" st ON st."id" = a."stepId"
    WHERE a."status" IN ('sent', 'failed')
    GROUP BY st."sequenceId", a."status", a."stepId";
    RETURN NULL;
END;
$$;

CREATE FUNCTION "counters_sends_updated"() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "SequenceCounter" ("sequenceId", "key", "delta")
    SELECT st."sequenceId", k."key", sum(k."delta")::int
    FROM (
        SELECT "stepId", "status" || ':' || "stepId" AS "key", -1 AS "delta" FROM before_rows WHERE "status" IN ('sent', 'failed')
        UNION ALL
        SELECT "stepId", "status" || ':' || "stepId", 1 FROM after_rows WHERE "status" IN ('sent', 'failed')
    ) k JOIN "SequenceStep" st ON st."id" = k."stepId"
    GROUP BY st."sequenceId", k."key"
    HAVING sum(k."delta") <> 0;
    RETURN NULL;
END;
$$;

CREATE FUNCTION "counters_sends_deleted"() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "SequenceCounter" ("sequenceId", "key", "delta")
    SELECT st."sequenceId", r."status" || ':' || r."stepId", -count(*)::int
    FROM removed r JOIN "SequenceStep" st ON st."id" = r."stepId"
    WHERE r."status" IN ('sent', 'failed')
    GROUP BY st."sequenceId", r."status", r."stepId";
    RETURN NULL;
END;
$$;

CREATE TRIGGER "counters_sends_inserted"
    AFTER INSERT ON "StepSend" REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION "counters_sends_inserted"();
CREATE TRIGGER "counters_sends_updated"
    AFTER UPDATE ON "StepSend" REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
    FOR EACH STATEMENT EXECUTE FUNCTION "counters_sends_updated"();
CREATE TRIGGER "counters_sends_deleted"
    AFTER DELETE ON "StepSend" REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION "counters_sends_deleted"();

-- Folds a sequence's deltas into one row per key. Concurrent folds and
-- writers are safe: a delta is deleted (and summed) by exactly one fold, and
-- deltas appended meanwhile stay for the next one.
CREATE FUNCTION "sequence_counters_fold"(sequence_id text) RETURNS void
    LANGUAGE sql AS $$
    WITH folded AS (
        DELETE FROM "SequenceCounter" WHERE "sequenceId" = sequence_id RETURNING "key", "delta"
    )
    INSERT INTO "SequenceCounter" ("sequenceId", "key", "delta")
    SELECT sequence_id, "key", sum("delta")::int FROM folded GROUP BY "key" HAVING sum("delta") <> 0
$$;

-- The stats panel's "skipped": step_skipped events are few; this keeps
-- counting them from reading the whole log of a busy sequence.
CREATE INDEX "event_skipped" ON "EnrollmentEvent" ("sequenceId", "stepId", "enrollmentId") WHERE "type" = 'step_skipped';

-- "waiting" is counted from SequenceCounter now.
DROP INDEX "enrollment_waiting";

-- Existing installs: the totals as of now.
INSERT INTO "SequenceCounter" ("sequenceId", "key", "delta")
SELECT "sequenceId", 'status:' || "status", count(*)::int FROM "Enrollment" GROUP BY 1, 2
UNION ALL
SELECT "sequenceId", 'waiting:' || "nextStepId", count(*)::int FROM "Enrollment" WHERE "status" = 'active' AND "nextStepId" IS NOT NULL GROUP BY 1, 2
UNION ALL
SELECT st."sequenceId", ss."status" || ':' || ss."stepId", count(*)::int
FROM "StepSend" ss JOIN "SequenceStep" st ON st."id" = ss."stepId" WHERE ss."status" IN ('sent', 'failed') GROUP BY 1, 2;
