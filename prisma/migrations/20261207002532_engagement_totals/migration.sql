-- CreateTable
CREATE TABLE "EngagementTotal" (
    "id" BIGSERIAL NOT NULL,
    "sequenceId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "delta" INTEGER NOT NULL,

    CONSTRAINT "EngagementTotal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "engagement_total_covering" ON "EngagementTotal"("sequenceId", "kind", "delta");



-- ---------------------------------------------------------------------------
-- Hand-written: the triggers that keep "EngagementTotal", the function that
-- folds it, and a backfill.
--
-- The sequences list's rate columns (and its sort by a rate) need each
-- sequence's all-time sum of four kinds. Summed from EngagementCounter that
-- is one row per (step, UTC day, kind): ~3,500 per sequence at 1M contacts,
-- most of the list's time (docs/benchmarks.md, "Sequences list: engagement
-- totals"). Every change to EngagementCounter appends its net per (sequence,
-- kind) here in the same statement, so the totals commit or roll back with
-- the change whoever writes it. Writers only INSERT, as for SequenceCounter:
-- concurrent sends and replies never queue on a shared row.
--
-- Only the kinds an all-time read needs: opens, clicks and machine traffic,
-- the most frequent writes, append nothing. EngagementCounter is not updated
-- by the app; the UPDATE trigger keeps the totals right if it ever is.
--
-- A fold of EngagementCounter (engagement_counters_fold: a DELETE and an
-- INSERT of the same sums in one statement) fires the DELETE and the INSERT
-- trigger separately: it appends each kind's sum once negated and once
-- back, a net zero of at most eight rows, which the next fold here removes.
-- ---------------------------------------------------------------------------
CREATE FUNCTION "engagement_totals_changed"() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO "EngagementTotal" ("sequenceId", "kind", "delta")
        SELECT "sequenceId", "kind", sum("delta")::int FROM added
        WHERE "kind" IN ('sent', 'replied', 'unsubscribed', 'bounced')
        GROUP BY 1, 2
        HAVING sum("delta") <> 0;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO "EngagementTotal" ("sequenceId", "kind", "delta")
        SELECT "sequenceId", "kind", -sum("delta")::int FROM removed
        WHERE "kind" IN ('sent', 'replied', 'unsubscribed', 'bounced')
        GROUP BY 1, 2
        HAVING sum("delta") <> 0;
    ELSE
        INSERT INTO "EngagementTotal" ("sequenceId", "kind", "delta")
        SELECT k."sequenceId", k."kind", sum(k."delta")::int
        FROM (
            SELECT "sequenceId", "kind", -"delta" AS "delta" FROM before_rows
            UNION ALL
            SELECT "sequenceId", "kind", "delta" FROM after_rows
        ) k
        WHERE k."kind" IN ('sent', 'replied', 'unsubscribed', 'bounced')
        GROUP BY 1, 2
        HAVING sum(k."delta") <> 0;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER "engagement_totals_inserted"
    AFTER INSERT ON "EngagementCounter" REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION "engagement_totals_changed"();
CREATE TRIGGER "engagement_totals_updated"
    AFTER UPDATE ON "EngagementCounter" REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
    FOR EACH STATEMENT EXECUTE FUNCTION "engagement_totals_changed"();
CREATE TRIGGER "engagement_totals_deleted"
    AFTER DELETE ON "EngagementCounter" REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION "engagement_totals_changed"();

-- Folds a sequence's deltas into one row per kind; safe against concurrent
-- folds and writers for the same reason as sequence_counters_fold.
CREATE FUNCTION "engagement_totals_fold"(sequence_id text) RETURNS void
    LANGUAGE sql AS $$
    WITH folded AS (
        DELETE FROM "EngagementTotal" WHERE "sequenceId" = sequence_id RETURNING "kind", "delta"
    )
    INSERT INTO "EngagementTotal" ("sequenceId", "kind", "delta")
    SELECT sequence_id, "kind", sum("delta")::int FROM folded GROUP BY "kind" HAVING sum("delta") <> 0
$$;

-- Existing installs: the totals as of now. The triggers above already hold
-- EngagementCounter against writers until this migration commits.
INSERT INTO "EngagementTotal" ("sequenceId", "kind", "delta")
SELECT "sequenceId", "kind", sum("delta")::int FROM "EngagementCounter"
WHERE "kind" IN ('sent', 'replied', 'unsubscribed', 'bounced')
GROUP BY 1, 2
HAVING sum("delta") <> 0;
