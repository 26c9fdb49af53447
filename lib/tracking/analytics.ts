/**
 * Engagement numbers per step and per sequence, for the sequence page's
 * analytics and the sequences list. Read from running totals only:
 * EngagementCounter (per step, UTC day and kind, so a date range is a
 * filter on the days) and SequenceCounter (enrollments by status, which
 * describe now and ignore the range). See docs/tracking.md for what each
 * number counts.
 */
import "server-only";
import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import { EXIT_REASONS, type TExitReason } from "../sequences/exit-reasons";
import type { TAnalyticsRange } from "../validations/analytics";

/** Past this many rows beyond one per (step, day, kind), a read folds them. */
const FOLD_AT = 500;

export const ENGAGEMENT_KINDS = ["sent", "opened", "clicked", "replied", "unsubscribed", "bounced", "machine"] as const;
type Kind = (typeof ENGAGEMENT_KINDS)[number];

export type Funnel = {
  sent: number;
  /** Sent and not bounced. */
  delivered: number;
  /** Unique: messages opened (clicked, replied...) at least once by a person. */
  opened: number;
  clicked: number;
  replied: number;
  unsubscribed: number;
  bounced: number;
  /** Opens and clicks classified as machine traffic (every recorded event, not unique; repeats within a minute once). */
  machine: number;
  /** Shares of delivered (bounceRate: of sent), 0..1; null when nothing was delivered. */
  rates: { open: number | null; click: number | null; reply: number | null; unsubscribe: number | null; bounce: number | null };
};

export type StepAnalytics = Funnel & { stepId: string; number: number; subject: string };

export type SequenceAnalytics = {
  sequenceId: string;
  range: TAnalyticsRange;
  steps: StepAnalytics[];
  /** Every step's numbers added up, deleted steps included. */
  total: Funnel;
  enrolled: number;
  active: number;
  completed: number;
  exits: Record<TExitReason, number>;
};

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);

export function funnelOf(counts: Partial<Record<Kind, number>>): Funnel {
  const n = (kind: Kind) => counts[kind] ?? 0;
  const delivered = Math.max(0, n("sent") - n("bounced"));
  return {
    sent: n("sent"),
    delivered,
    opened: n("opened"),
    clicked: n("clicked"),
    replied: n("replied"),
    unsubscribed: n("unsubscribed"),
    bounced: n("bounced"),
    machine: n("machine"),
    rates: {
      open: share(n("opened"), delivered),
      click: share(n("clicked"), delivered),
      reply: share(n("replied"), delivered),
      unsubscribe: share(n("unsubscribed"), delivered),
      bounce: share(n("bounced"), n("sent")),
    },
  };
}

export async function getSequenceAnalytics(db: Db, sequenceId: string, range: TAnalyticsRange = {}): Promise<SequenceAnalytics> {
  const from = range.from ?? null;
  const to = range.to ?? null;
  const [row] = await db.$queryRaw<{ found: boolean; steps: string; engagement: string; totals: string; surplus: number }[]>`
    WITH steps AS (
      SELECT st."id", st."subject", row_number() OVER (ORDER BY st."position", st."createdAt") AS "number"
      FROM "SequenceStep" st WHERE st."sequenceId" = ${sequenceId} AND st."deletedAt" IS NULL
    ), grouped AS (
      -- One pass over the sequence's rows: the sums per (step, day, kind), and how many rows each has (beyond one is surplus to fold).
      SELECT "stepId", "day", "kind", sum("delta") AS n, count(*) AS "rowCount" FROM "EngagementCounter" WHERE "sequenceId" = ${sequenceId} GROUP BY 1, 2, 3
    )
    SELECT
      EXISTS (SELECT 1 FROM "Sequence" WHERE "id" = ${sequenceId}) AS "found",
      (SELECT coalesce(json_agg(json_build_array(s."id", s."number", s."subject") ORDER BY s."number"), '[]') FROM steps s)::text AS "steps",
      (SELECT coalesce(json_agg(json_build_array(e."stepId", e."kind", e.n)), '[]') FROM (
        SELECT "stepId", "kind", sum(n)::int AS n FROM grouped
        WHERE (${from}::date IS NULL OR "day" >= ${from}::date) AND (${to}::date IS NULL OR "day" <= ${to}::date)
        GROUP BY 1, 2) e)::text AS "engagement",
      (SELECT coalesce(json_object_agg(t."key", t.n), '{}') FROM (
        SELECT "key", sum("delta")::int AS n FROM "SequenceCounter" WHERE "sequenceId" = ${sequenceId} AND starts_with("key", 'status:') GROUP BY "key") t)::text AS "totals",
      (SELECT coalesce(sum("rowCount") - count(*), 0)::int FROM grouped) AS "surplus"`;
  if (!row.found) throw new AppError("not_found", "Sequence not found.");
  if (row.surplus > FOLD_AT) await db.$executeRaw`SELECT "engagement_counters_fold"(${sequenceId})`;

  const engagement = JSON.parse(row.engagement) as [string, Kind, number][];
  const byStep = new Map<string, Partial<Record<Kind, number>>>();
  const overall: Partial<Record<Kind, number>> = {};
  for (const [stepId, kind, n] of engagement) {
    const counts = byStep.get(stepId) ?? {};
    counts[kind] = (counts[kind] ?? 0) + n;
    byStep.set(stepId, counts);
    overall[kind] = (overall[kind] ?? 0) + n;
  }
  const totals = JSON.parse(row.totals) as Record<string, number>;
  const status = (s: string) => totals[`status:${s}`] ?? 0;
  const steps = JSON.parse(row.steps) as [string, number, string][];
  return {
    sequenceId,
    range,
    steps: steps.map(([stepId, number, subject]) => ({ stepId, number, subject, ...funnelOf(byStep.get(stepId) ?? {}) })),
    total: funnelOf(overall),
    enrolled: Object.values(totals).reduce((sum, n) => sum + n, 0),
    active: status("active") + status("paused"),
    completed: status("completed"),
    exits: Object.fromEntries(EXIT_REASONS.map((reason) => [reason, status(reason)])) as Record<TExitReason, number>,
  };
}

export type SequenceRates = { active: number; delivered: number; replyRate: number | null; unsubscribeRate: number | null };

/** The sequences list's columns for these sequences, all time, from the counters. */
export async function getSequenceRates(db: Db, sequenceIds: string[]): Promise<Map<string, SequenceRates>> {
  const rates = new Map<string, SequenceRates>();
  if (sequenceIds.length === 0) return rates;
  const ids = sequenceIds.join(",");
  const rows = await db.$queryRaw<{ sequenceId: string; kind: string; n: number }[]>`
    SELECT "sequenceId", "kind", sum("delta")::int AS n FROM "EngagementCounter"
    WHERE "sequenceId" = ANY(string_to_array(${ids}, ',')) AND "kind" IN ('sent', 'replied', 'unsubscribed', 'bounced')
    GROUP BY 1, 2
    UNION ALL
    SELECT "sequenceId", 'active', sum("delta")::int FROM "SequenceCounter"
    WHERE "sequenceId" = ANY(string_to_array(${ids}, ',')) AND "key" IN ('status:active', 'status:paused')
    GROUP BY 1`;
  for (const id of sequenceIds) {
    const counts: Record<string, number> = {};
    for (const r of rows) if (r.sequenceId === id) counts[r.kind] = r.n;
    const funnel = funnelOf(counts);
    rates.set(id, { active: counts.active ?? 0, delivered: funnel.delivered, replyRate: funnel.rates.reply, unsubscribeRate: funnel.rates.unsubscribe });
  }
  return rates;
}
