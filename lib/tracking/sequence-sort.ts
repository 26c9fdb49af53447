/**
 * The sequences list's order as SQL, for the list's one statement
 * (lib/sequences/sequence-list.ts): over a `matching` CTE ("id",
 * "updatedAt" of the sequences the search matches), a `page` CTE of the
 * page's ids with their place ("ord").
 *
 * Sorted by a rate column, the rates come from the running totals of every
 * matching sequence (EngagementTotal: a few rows per sequence, one grouped
 * read, no scan of sends, events or per-day counters), then the page is
 * cut. Sequences are few (hundreds), so this is cheap; past SORT_CAP (by
 * last update) the rest is left out of the sort. Sequences without a
 * rate (nothing delivered) come last either way; ties keep the default
 * order (last updated first).
 */
import { Prisma } from "../db/prisma";
import { PAGE_SIZE } from "../validations/common";
import type { TSequenceSort } from "../validations/analytics";

const SORT_CAP = 5_000;

type MetricSort = Exclude<TSequenceSort["sort"], "updated">;

/** The rates as getSequenceRates computes them (delivered: sent less bounced, at least 0; null when nothing was delivered). */
const DELIVERED = Prisma.sql`greatest(0, coalesce(e."sent", 0) - coalesce(e."bounced", 0))`;
const rateOf = (kind: Prisma.Sql) => Prisma.sql`CASE WHEN ${DELIVERED} > 0 THEN coalesce(${kind}, 0)::float8 / ${DELIVERED} END`;

const METRIC: Record<MetricSort, Prisma.Sql> = {
  active: Prisma.sql`coalesce(a."active", 0)::float8`,
  replyRate: rateOf(Prisma.sql`e."replied"`),
  unsubscribeRate: rateOf(Prisma.sql`e."unsubscribed"`),
};

export function sequencePageSql(order: TSequenceSort, page: number): Prisma.Sql {
  const offset = (page - 1) * PAGE_SIZE;
  if (order.sort === "updated") {
    const dir = order.dir === "asc" ? Prisma.sql`ASC` : Prisma.sql`DESC`;
    return Prisma.sql`page AS (
      SELECT "id", row_number() OVER (ORDER BY "updatedAt" ${dir}, "id" ASC) AS "ord" FROM matching
      ORDER BY "updatedAt" ${dir}, "id" ASC LIMIT ${PAGE_SIZE} OFFSET ${offset})`;
  }
  const dir = order.dir === "asc" ? Prisma.sql`ASC NULLS LAST` : Prisma.sql`DESC NULLS LAST`;
  // The rates need the engagement totals; the active count only the status counters.
  const engagement =
    order.sort === "active"
      ? Prisma.sql`SELECT NULL::text AS "sequenceId", 0 AS "sent", 0 AS "bounced", 0 AS "replied", 0 AS "unsubscribed" WHERE false`
      : Prisma.sql`SELECT "sequenceId", sum("delta") FILTER (WHERE "kind" = 'sent') AS "sent", sum("delta") FILTER (WHERE "kind" = 'bounced') AS "bounced",
                          sum("delta") FILTER (WHERE "kind" = 'replied') AS "replied", sum("delta") FILTER (WHERE "kind" = 'unsubscribed') AS "unsubscribed"
                   FROM "EngagementTotal" WHERE "sequenceId" IN (SELECT "id" FROM candidates) AND "kind" IN ('sent', 'replied', 'unsubscribed', 'bounced')
                   GROUP BY 1`;
  return Prisma.sql`candidates AS MATERIALIZED (
      SELECT "id", row_number() OVER (ORDER BY "updatedAt" DESC, "id" ASC) AS "position" FROM matching
      ORDER BY "updatedAt" DESC, "id" ASC LIMIT ${SORT_CAP}
    ), active AS (
      SELECT "sequenceId", sum("delta") AS "active" FROM "SequenceCounter"
      WHERE "sequenceId" IN (SELECT "id" FROM candidates) AND "key" IN ('status:active', 'status:paused') GROUP BY 1
    ), engagement AS (${engagement}
    ), ranked AS (
      SELECT c."id", c."position", ${METRIC[order.sort]} AS "value"
      FROM candidates c LEFT JOIN active a ON a."sequenceId" = c."id" LEFT JOIN engagement e ON e."sequenceId" = c."id"
    ), page AS (
      SELECT "id", row_number() OVER (ORDER BY "value" ${dir}, "position") AS "ord" FROM ranked
      ORDER BY "value" ${dir}, "position" LIMIT ${PAGE_SIZE} OFFSET ${offset})`;
}
