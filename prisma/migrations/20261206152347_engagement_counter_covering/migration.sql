-- The engagement reads sum a sequence's counters: the sequences list's rate
-- columns (four kinds, every sequence on the page or, sorted by a rate,
-- every matching one) and the sequence page's analytics (every row of one
-- sequence). A sequence's rows are scattered over the table (they are
-- written as opens and clicks happen), so through ("sequenceId", "day")
-- each read fetched most of its heap pages. This index holds every column
-- they read ("delta" as the last key: Prisma has no INCLUDE): index-only
-- scans, the list's kinds as an index condition.
-- It replaces ("sequenceId", "day"), which nothing reads by day (a date
-- range filters the grouped sums), so the tracking write keeps one index.
-- See docs/benchmarks.md, "Admin reads at 1M (4)".
DROP INDEX "EngagementCounter_sequenceId_day_idx";
CREATE INDEX "engagement_counter_covering" ON "EngagementCounter"("sequenceId", "kind", "stepId", "day", "delta");
