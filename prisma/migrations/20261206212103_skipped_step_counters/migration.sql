-- CreateTable
CREATE TABLE "SkippedStep" (
    "enrollmentId" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "sequenceId" TEXT NOT NULL,
    "sent" BOOLEAN NOT NULL,

    CONSTRAINT "SkippedStep_pkey" PRIMARY KEY ("enrollmentId","stepId")
);

-- AddForeignKey
ALTER TABLE "SkippedStep" ADD CONSTRAINT "SkippedStep_enrollmentId_fkey" FOREIGN KEY ("enrollmentId") REFERENCES "Enrollment"("id") ON DELETE CASCADE ON UPDATE CASCADE;



-- ---------------------------------------------------------------------------
-- Hand-written: the triggers that keep "SkippedStep" and, from it, the stats
-- panel's "skipped:<stepId>" counters in "SequenceCounter"; and a backfill.
--
-- What is counted, unchanged from when the panel computed it on each read:
-- per step, the enrollments with a step_skipped event for it whose reason
-- does not start with "sequence_" (a run stopped because the sequence was
-- paused: resuming sends the step), and no StepSend for it (a skip followed
-- by a send no longer counts; several skips count once). So a SkippedStep
-- row exists while such an event does, "sent" says whether a StepSend does,
-- and the counter is the number of rows not sent.
--
-- Races: a skip and a send (or a send record's removal) of one enrollment
-- must not each miss the other's uncommitted row. Whoever records a skip or
-- removes a send locks the enrollment FOR UPDATE before reading the other
-- side; inserting a StepSend holds FOR KEY SHARE on it (its foreign key
-- check, before the statement's triggers run) until it commits, and the two
-- conflict. The second waits, then reads what the first committed: each
-- statement of a trigger function takes a new snapshot under READ COMMITTED,
-- the isolation level everything here runs at. A run already holds that
-- lock when it logs a skip (claimStep), so it costs it nothing.
-- ---------------------------------------------------------------------------

-- The counter: rows not sent, per (sequence, step).
CREATE FUNCTION "skipped_counters_inserted"() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "SequenceCounter" ("sequenceId", "key", "delta")
    SELECT "sequenceId", 'skipped:' || "stepId", count(*)::int FROM added WHERE NOT "sent" GROUP BY 1, 2;
    RETURN NULL;
END;
$$;

CREATE FUNCTION "skipped_counters_updated"() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "SequenceCounter" ("sequenceId", "key", "delta")
    SELECT k."sequenceId", k."key", sum(k."delta")::int
    FROM (
        SELECT "sequenceId", 'skipped:' || "stepId" AS "key", -1 AS "delta" FROM before_rows WHERE NOT "sent"
        UNION ALL
        SELECT "sequenceId", 'skipped:' || "stepId", 1 FROM after_rows WHERE NOT "sent"
    ) k
    GROUP BY k."sequenceId", k."key"
    HAVING sum(k."delta") <> 0;
    RETURN NULL;
END;
$$;

CREATE FUNCTION "skipped_counters_deleted"() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "SequenceCounter" ("sequenceId", "key", "delta")
    SELECT r."sequenceId", 'skipped:' || r."stepId", -count(*)::int FROM removed r
    WHERE NOT r."sent" AND EXISTS (SELECT 1 FROM "Sequence" s WHERE s."id" = r."sequenceId")
    GROUP BY 1, 2;
    RETURN NULL;
END;
$$;

CREATE TRIGGER "skipped_counters_inserted"
    AFTER INSERT ON "SkippedStep" REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION "skipped_counters_inserted"();
CREATE TRIGGER "skipped_counters_updated"
    AFTER UPDATE ON "SkippedStep" REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
    FOR EACH STATEMENT EXECUTE FUNCTION "skipped_counters_updated"();
-- Also when an enrollment is deleted (the foreign key cascades).
CREATE TRIGGER "skipped_counters_deleted"
    AFTER DELETE ON "SkippedStep" REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION "skipped_counters_deleted"();

-- Existing installs: a row per (enrollment, step) skipped as counted so far;
-- the trigger above writes their counters.
INSERT INTO "SkippedStep" ("enrollmentId", "stepId", "sequenceId", "sent")
SELECT DISTINCT ON (ev."enrollmentId", ev."stepId") ev."enrollmentId", ev."stepId", ev."sequenceId",
       EXISTS (SELECT 1 FROM "StepSend" ss WHERE ss."enrollmentId" = ev."enrollmentId" AND ss."stepId" = ev."stepId")
FROM "EnrollmentEvent" ev
WHERE ev."type" = 'step_skipped' AND ev."enrollmentId" IS NOT NULL AND ev."stepId" IS NOT NULL
  AND NOT starts_with(coalesce(ev."reason", ''), 'sequence_')
ORDER BY ev."enrollmentId", ev."stepId", ev."id";

-- A counted skip of (enrollment, step): its row, unless one exists (then
-- "sent" is already right: the send triggers below keep it).
CREATE FUNCTION "skipped_step_add"(enrollment_id text, step_id text, sequence_id text) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM "Enrollment" WHERE "id" = enrollment_id FOR UPDATE;
    INSERT INTO "SkippedStep" ("enrollmentId", "stepId", "sequenceId", "sent")
    VALUES (enrollment_id, step_id, sequence_id,
            EXISTS (SELECT 1 FROM "StepSend" ss WHERE ss."enrollmentId" = enrollment_id AND ss."stepId" = step_id))
    ON CONFLICT ("enrollmentId", "stepId") DO NOTHING;
END;
$$;

-- Skips are rare next to the other events: a row trigger, whose WHEN costs
-- the others nothing.
CREATE FUNCTION "skipped_steps_skip_logged"() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM "skipped_step_add"(NEW."enrollmentId", NEW."stepId", NEW."sequenceId");
    RETURN NULL;
END;
$$;

CREATE TRIGGER "skipped_steps_skip_logged"
    AFTER INSERT ON "EnrollmentEvent"
    FOR EACH ROW WHEN (NEW."type" = 'step_skipped' AND NEW."enrollmentId" IS NOT NULL AND NEW."stepId" IS NOT NULL
                       AND NOT starts_with(coalesce(NEW."reason", ''), 'sequence_'))
    EXECUTE FUNCTION "skipped_steps_skip_logged"();

-- The event log is append-only (enrollment_event_no_update_delete). Should a
-- skip be changed or removed anyway (that trigger disabled; an enrollment's
-- deletion then sets its events' "enrollmentId" to NULL), its (enrollment,
-- step) is counted again from the events left.
CREATE FUNCTION "skipped_steps_skip_changed"() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM "Enrollment" WHERE "id" = OLD."enrollmentId" FOR UPDATE;
    DELETE FROM "SkippedStep" sk
    WHERE sk."enrollmentId" = OLD."enrollmentId" AND sk."stepId" = OLD."stepId"
      AND NOT EXISTS (
          SELECT 1 FROM "EnrollmentEvent" ev
          WHERE ev."type" = 'step_skipped' AND ev."sequenceId" = sk."sequenceId" AND ev."stepId" = sk."stepId"
            AND ev."enrollmentId" = sk."enrollmentId" AND NOT starts_with(coalesce(ev."reason", ''), 'sequence_'));
    IF TG_OP = 'UPDATE' AND NEW."type" = 'step_skipped' AND NEW."enrollmentId" IS NOT NULL AND NEW."stepId" IS NOT NULL
       AND NOT starts_with(coalesce(NEW."reason", ''), 'sequence_') THEN
        PERFORM "skipped_step_add"(NEW."enrollmentId", NEW."stepId", NEW."sequenceId");
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER "skipped_steps_skip_changed"
    AFTER UPDATE OR DELETE ON "EnrollmentEvent"
    FOR EACH ROW WHEN (OLD."type" = 'step_skipped')
    EXECUTE FUNCTION "skipped_steps_skip_changed"();

-- A send record makes its (enrollment, step) sent. Every claim inserts one,
-- so first the cheap question whether any of them was skipped. No lock
-- needed: a concurrent skip of the enrollment holds it FOR UPDATE, so this
-- statement's foreign key check waited for it to commit.
CREATE FUNCTION "skipped_steps_sends_inserted"() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM added a JOIN "SkippedStep" sk ON sk."enrollmentId" = a."enrollmentId" AND sk."stepId" = a."stepId" WHERE NOT sk."sent") THEN
        UPDATE "SkippedStep" sk SET "sent" = true
        FROM added a
        WHERE sk."enrollmentId" = a."enrollmentId" AND sk."stepId" = a."stepId" AND NOT sk."sent";
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER "skipped_steps_sends_inserted"
    AFTER INSERT ON "StepSend" REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION "skipped_steps_sends_inserted"();

-- Send records are not removed or moved by the app; should one be, its
-- (enrollment, step)s are checked again, under the enrollments' locks.
CREATE FUNCTION "skipped_steps_send_moved"() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM "Enrollment" WHERE "id" IN (OLD."enrollmentId", NEW."enrollmentId") ORDER BY "id" FOR UPDATE;
    UPDATE "SkippedStep" sk
    SET "sent" = EXISTS (SELECT 1 FROM "StepSend" ss WHERE ss."enrollmentId" = sk."enrollmentId" AND ss."stepId" = sk."stepId")
    WHERE (sk."enrollmentId", sk."stepId") IN ((OLD."enrollmentId", OLD."stepId"), (NEW."enrollmentId", NEW."stepId"))
      AND sk."sent" IS DISTINCT FROM EXISTS (SELECT 1 FROM "StepSend" ss WHERE ss."enrollmentId" = sk."enrollmentId" AND ss."stepId" = sk."stepId");
    RETURN NULL;
END;
$$;

CREATE TRIGGER "skipped_steps_send_deleted"
    AFTER DELETE ON "StepSend"
    FOR EACH ROW EXECUTE FUNCTION "skipped_steps_send_moved"();
CREATE TRIGGER "skipped_steps_send_moved"
    AFTER UPDATE ON "StepSend"
    FOR EACH ROW WHEN (OLD."enrollmentId" IS DISTINCT FROM NEW."enrollmentId" OR OLD."stepId" IS DISTINCT FROM NEW."stepId")
    EXECUTE FUNCTION "skipped_steps_send_moved"();
