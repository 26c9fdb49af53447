import "server-only";
import { escapeLike } from "../contacts/list-contacts";
import { Prisma, type Db } from "../db/prisma";
import { pageOf, type Page, type TListParams } from "../validations/common";
import type { TSequenceSort } from "../validations/analytics";
import { funnelOf, type SequenceRates } from "../tracking/analytics";
import { sequencePageSql } from "../tracking/sequence-sort";
import { countsOf, foldPiledUp, type CounterRow } from "./list-counts";
import { TRIGGER_DEFINITIONS } from "./triggers";

export type SequenceListItem = {
  id: string;
  name: string;
  status: string;
  triggerSummary: string;
  stepCount: number;
  counts: { active: number; completed: number; exited: number };
  /** All time, from EngagementTotal (the engagement counters' all-time sums, kept by triggers). */
  rates: SequenceRates;
};

type TriggerLike = { type: keyof typeof TRIGGER_DEFINITIONS; scoreThreshold: number | null; signupSource: string | null; tag: { name: string } | null };

export function describeTrigger(t: TriggerLike): string {
  switch (t.type) {
    case "tag_added":
      return `Tag added: ${t.tag?.name ?? "(deleted tag)"}`;
    case "score_threshold":
      return `Lead score reaches ${t.scoreThreshold}`;
    case "signup":
      return t.signupSource ? `Signs up via ${t.signupSource}` : "Signs up";
  }
}

/** [type, scoreThreshold, signupSource, tag name (null: no tag or a deleted one)] */
type TriggerRow = [TriggerLike["type"], number | null, string | null, string | null];
/** [id, name, status, triggers, step count, status counters, engagement totals by kind] */
type Row = [string, string, string, TriggerRow[], number, CounterRow[], CounterRow[]];

/** The list's one statement: a row of "total" and "rows" (JSON, see Row). Exported for the benchmark's EXPLAIN. */
export function sequenceListSql({ q, page }: TListParams, order: TSequenceSort): Prisma.Sql {
  // As the contacts list: a search for "50%" means the text.
  const where = q ? Prisma.sql`s."name" ILIKE ${`%${escapeLike(q)}%`}` : Prisma.sql`true`;
  return Prisma.sql`
    WITH matching AS MATERIALIZED (
      SELECT s."id", s."updatedAt" FROM "Sequence" s WHERE ${where}
    ), ${sequencePageSql(order, page)}
    SELECT (SELECT count(*) FROM matching)::int AS "total",
      (SELECT coalesce(json_agg(json_build_array(
         s."id", s."name", s."status",
         (SELECT coalesce(json_agg(json_build_array(t."type", t."scoreThreshold", t."signupSource", tag."name") ORDER BY t."createdAt", t."id"), '[]')
          FROM "SequenceTrigger" t LEFT JOIN "Tag" tag ON tag."id" = t."tagId" WHERE t."sequenceId" = s."id"),
         (SELECT count(*) FROM "SequenceStep" st WHERE st."sequenceId" = s."id" AND st."deletedAt" IS NULL),
         (SELECT coalesce(json_agg(json_build_array(k."key", k.n, k."rows")), '[]') FROM (
            SELECT "key", sum("delta")::int AS n, count(*)::int AS "rows" FROM "SequenceCounter"
            WHERE "sequenceId" = s."id" AND starts_with("key", 'status:') GROUP BY 1) k),
         (SELECT coalesce(json_agg(json_build_array(g."kind", g.n, g."rows")), '[]') FROM (
            SELECT "kind", sum("delta")::int AS n, count(*)::int AS "rows" FROM "EngagementTotal"
            WHERE "sequenceId" = s."id" AND "kind" IN ('sent', 'replied', 'unsubscribed', 'bounced') GROUP BY 1) g)
       ) ORDER BY p."ord"), '[]') FROM page p JOIN "Sequence" s ON s."id" = p."id")::text AS "rows"`;
}

/**
 * A page of the sequences list, with enrollment counts per outcome and the
 * rates, all from running totals (list-counts.ts; EngagementTotal):
 * no read grows with the number of enrollments. One statement: the search,
 * the count, the order (by last update, or ranked by a counter:
 * tracking/sequence-sort.ts), and the page's sequences with their
 * triggers, step counts and counters.
 */
export async function sequenceListPage(db: Db, { q, page }: TListParams, order: TSequenceSort = { sort: "updated", dir: "desc" }): Promise<Page<SequenceListItem>> {
  const [result] = await db.$queryRaw<{ total: number; rows: string }[]>`${sequenceListSql({ q, page }, order)}`;
  const rows = JSON.parse(result.rows) as Row[];
  await foldPiledUp(db, new Map(rows.map((row) => [row[0], { status: row[5], engagement: row[6] }])));
  const items = rows.map(([id, name, status, triggers, stepCount, statusRows, engagementRows]) => {
    const counts = countsOf(statusRows);
    const funnel = funnelOf(Object.fromEntries(engagementRows.map(([kind, n]) => [kind, n])));
    return {
      id,
      name,
      status,
      stepCount,
      triggerSummary: triggers.length
        ? triggers.map(([type, scoreThreshold, signupSource, tag]) => describeTrigger({ type, scoreThreshold, signupSource, tag: tag === null ? null : { name: tag } })).join(" · ")
        : "Manual enrollment only",
      counts,
      rates: { active: counts.active, delivered: funnel.delivered, replyRate: funnel.rates.reply, unsubscribeRate: funnel.rates.unsubscribe },
    };
  });
  return pageOf(items, result.total, page);
}
