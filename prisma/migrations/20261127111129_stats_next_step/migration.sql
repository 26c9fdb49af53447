-- DropIndex
DROP INDEX "ContactTag_tagId_idx";

-- AlterTable
ALTER TABLE "Enrollment" ADD COLUMN     "nextStepId" TEXT;

-- CreateIndex
CREATE INDEX "ContactTag_tagId_contactId_idx" ON "ContactTag"("tagId", "contactId");


-- ---------------------------------------------------------------------------
-- Hand-written: Enrollment."nextStepId", kept by triggers so that it is right
-- whoever writes (the run, bulk paths, fixtures), and the index the stats
-- panel counts "waiting" enrollments with.
--
-- Definition (the same as planNextStep's and the stats panel's): the first
-- live step of the enrollment's sequence, by ("position", "createdAt"), that
-- has no StepSend for the enrollment; NULL when there is none. Kept for live
-- (active or paused) enrollments; an ended one keeps its last value.
-- ---------------------------------------------------------------------------

CREATE FUNCTION "enrollment_next_step"(enrollment_id text, sequence_id text) RETURNS text
    LANGUAGE sql STABLE AS $$
    SELECT st."id" FROM "SequenceStep" st
    WHERE st."sequenceId" = sequence_id AND st."deletedAt" IS NULL
      AND NOT EXISTS (SELECT 1 FROM "StepSend" ss WHERE ss."enrollmentId" = enrollment_id AND ss."stepId" = st."id")
    ORDER BY st."position", st."createdAt"
    LIMIT 1
$$;

-- New enrollments: the domain sets the column itself (a bulk insert of
-- 10,000 rows must not run a query per row); any other writer gets it here.
CREATE FUNCTION "enrollment_next_step_on_insert"() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    NEW."nextStepId" := "enrollment_next_step"(NEW."id", NEW."sequenceId");
    RETURN NEW;
END;
$$;

CREATE TRIGGER "enrollment_next_step_default"
    BEFORE INSERT ON "Enrollment"
    FOR EACH ROW WHEN (NEW."nextStepId" IS NULL)
    EXECUTE FUNCTION "enrollment_next_step_on_insert"();

-- A send record (claimed, sent or failed) moves its enrollment on.
CREATE FUNCTION "enrollment_next_step_after_send"() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "Enrollment" e
    SET "nextStepId" = "enrollment_next_step"(e."id", e."sequenceId")
    FROM (SELECT DISTINCT "enrollmentId" FROM inserted) i
    WHERE e."id" = i."enrollmentId"
      AND e."nextStepId" IS DISTINCT FROM "enrollment_next_step"(e."id", e."sequenceId");
    RETURN NULL;
END;
$$;

CREATE TRIGGER "step_send_moves_next_step"
    AFTER INSERT ON "StepSend"
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION "enrollment_next_step_after_send"();

-- Adding, deleting (soft or not) or reordering steps can change every live
-- enrollment's next step in those sequences.
CREATE FUNCTION "enrollment_next_step_refresh"(sequence_ids text[]) RETURNS void
    LANGUAGE sql AS $$
    UPDATE "Enrollment" e
    SET "nextStepId" = "enrollment_next_step"(e."id", e."sequenceId")
    WHERE e."sequenceId" = ANY(sequence_ids) AND e."status" IN ('active', 'paused')
      AND e."nextStepId" IS DISTINCT FROM "enrollment_next_step"(e."id", e."sequenceId")
$$;

CREATE FUNCTION "sequence_steps_inserted"() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM "enrollment_next_step_refresh"(ARRAY(SELECT DISTINCT "sequenceId" FROM added));
    RETURN NULL;
END;
$$;

CREATE FUNCTION "sequence_steps_updated"() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    -- Only order and liveness matter; editing a subject changes nothing.
    PERFORM "enrollment_next_step_refresh"(ARRAY(
        SELECT DISTINCT n."sequenceId" FROM after_rows n JOIN before_rows o ON o."id" = n."id"
        WHERE (o."position", o."createdAt", o."deletedAt", o."sequenceId") IS DISTINCT FROM (n."position", n."createdAt", n."deletedAt", n."sequenceId")
        UNION
        SELECT o."sequenceId" FROM after_rows n JOIN before_rows o ON o."id" = n."id" WHERE o."sequenceId" <> n."sequenceId"));
    RETURN NULL;
END;
$$;

CREATE FUNCTION "sequence_steps_deleted"() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM "enrollment_next_step_refresh"(ARRAY(SELECT DISTINCT "sequenceId" FROM removed));
    RETURN NULL;
END;
$$;

CREATE TRIGGER "sequence_steps_inserted"
    AFTER INSERT ON "SequenceStep" REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION "sequence_steps_inserted"();
CREATE TRIGGER "sequence_steps_updated"
    AFTER UPDATE ON "SequenceStep" REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
    FOR EACH STATEMENT EXECUTE FUNCTION "sequence_steps_updated"();
CREATE TRIGGER "sequence_steps_deleted"
    AFTER DELETE ON "SequenceStep" REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION "sequence_steps_deleted"();

-- Existing installs: compute it once for every enrollment.
UPDATE "Enrollment" e SET "nextStepId" = "enrollment_next_step"(e."id", e."sequenceId");

-- "Waiting" per step: an index-only count of active enrollments.
CREATE INDEX "enrollment_waiting" ON "Enrollment" ("sequenceId", "nextStepId") WHERE "status" = 'active';
