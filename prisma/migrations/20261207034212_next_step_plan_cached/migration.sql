-- Enrollment."nextStepId" without re-planning its query on every call.
--
-- "enrollment_next_step" was a LANGUAGE sql function that PostgreSQL cannot
-- inline (a CTE, a LIMIT), and PostgreSQL 17 plans such a function's query
-- again at every call. The trigger that moves an enrollment on after each
-- claim called it twice, which was most of a claim's time in the database
-- (docs/benchmarks.md, "Delivery (4)"). The same query in PL/pgSQL keeps its
-- plan for the session; the trigger now calls it once per enrollment.
-- The rule is unchanged (20261206060000_sequence_versions): the step the
-- enrollment waits on if still live and unsent, else the first live unsent
-- step after it in (position, createdAt, id) order.

CREATE OR REPLACE FUNCTION "enrollment_next_step"(enrollment_id text, sequence_id text) RETURNS text
    LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (
        WITH ref AS (
            SELECT st."id", st."position", st."createdAt" FROM "SequenceStep" st
            WHERE st."id" = (SELECT e."waitingStepId" FROM "Enrollment" e WHERE e."id" = enrollment_id)
        )
        SELECT st."id" FROM "SequenceStep" st
        WHERE st."sequenceId" = sequence_id AND st."deletedAt" IS NULL
          AND NOT EXISTS (SELECT 1 FROM "StepSend" ss WHERE ss."enrollmentId" = enrollment_id AND ss."stepId" = st."id")
          AND (NOT EXISTS (SELECT 1 FROM ref)
               OR EXISTS (SELECT 1 FROM ref WHERE st."id" = ref."id" OR (st."position", st."createdAt", st."id") > (ref."position", ref."createdAt", ref."id")))
        ORDER BY st."position", st."createdAt", st."id"
        LIMIT 1
    );
END;
$$;

CREATE OR REPLACE FUNCTION "enrollment_next_step_after_send"() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    -- Materialized: computed once per enrollment, not again in the WHERE.
    WITH n AS MATERIALIZED (
        SELECT en."id", "enrollment_next_step"(en."id", en."sequenceId") AS "nextStepId"
        FROM "Enrollment" en WHERE en."id" IN (SELECT "enrollmentId" FROM inserted)
    )
    UPDATE "Enrollment" e SET "nextStepId" = n."nextStepId"
    FROM n WHERE e."id" = n."id" AND e."nextStepId" IS DISTINCT FROM n."nextStepId";
    RETURN NULL;
END;
$$;
