/**
 * The engagement part of the admin-queries data set (docs/tracking.md), made
 * set-based from the sends buildScaleData wrote: two tracked links per sent
 * message, exactly `events` TrackingEvent rows (3,000,000 at the default
 * scale) on 35% of the sent messages (0 to ~2x the mean each;
 * 70% opens, 30% clicks, 20% machine), the SendEngagement rows those
 * events and the enrollments' exits imply (first person's open / click;
 * reply, unsubscribe and bounce on the last message of an enrollment that
 * ended so), and EngagementCounter as the app keeps it: folded to one row
 * per (step, UTC day, kind), plus just under the read's fold threshold of
 * single-delta rows per sequence (the worst a read sees before it folds).
 * Triggers are off while the set is generated, so the "sent" counter the
 * StepSend trigger keeps is written here too, and EngagementTotal (the
 * all-time sums the EngagementCounter triggers keep).
 */
import type pg from "pg";

/** lib/tracking/analytics.ts folds past 500 surplus rows per sequence; stay just under. */
const UNFOLDED_ROWS_PER_SEQUENCE = 450;
/** The share of sent messages anyone opens or clicks. */
const ENGAGED_SHARE = 0.35;
const USER_AGENT = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";

const HASH = (text: string) => `abs(hashtext(${text})::bigint)`;

export async function buildTrackingData(client: pg.PoolClient, events: number, step: (label: string, sql: string, params?: unknown[]) => Promise<void>): Promise<void> {
  await step("tracked links", `
    INSERT INTO "TrackedLink" ("sendId", "index", "url")
    SELECT ss."id", i, 'https://example.com/' || CASE i WHEN 0 THEN 'pricing' ELSE 'docs/start' END || '?s=' || left(ss."id", 8)
    FROM "StepSend" ss CROSS JOIN generate_series(0, 1) AS i WHERE ss."status" = 'sent'`);

  // ENGAGED_SHARE of the sent messages get k events each, k uniform in 0..2m
  // (mean m, a little over what `events` needs), cut to exactly `events`;
  // the others none (most mail is never opened). Event j of a message
  // is 5 + 37j minutes after it was sent: never two in one minute, so the
  // dedupe index (one per send, type, link, reason and minute) keeps them all.
  const { rows: [{ sent }] } = await client.query<{ sent: number }>(`SELECT count(*)::int AS sent FROM "StepSend" WHERE "status" = 'sent'`);
  const mean = Math.ceil((events * 1.1) / (sent * ENGAGED_SHARE));
  await step(`${events} tracking events`, `
    WITH per_send AS (
      SELECT ss."id" AS "sendId", ss."stepId", ss."sentAt", e."contactId", e."sequenceId", CASE WHEN ${HASH(`ss."id" || '/engaged'`)} % 100 < ${ENGAGED_SHARE * 100} THEN ${HASH(`ss."id"`)} % ($2::int * 2 + 1) ELSE 0 END AS k
      FROM "StepSend" ss JOIN "Enrollment" e ON e."id" = ss."enrollmentId" WHERE ss."status" = 'sent'
      -- In hash order, so that the cut falls on messages of every sequence, not on the last ones scanned.
      ORDER BY md5(ss."id")
    ), generated AS (
      SELECT p.*, j, ${HASH(`p."sendId" || '/' || j`)} % 100 AS h FROM per_send p CROSS JOIN LATERAL generate_series(0, p.k - 1) AS j
      LIMIT $1::int
    )
    INSERT INTO "TrackingEvent" ("type", "sendId", "contactId", "sequenceId", "stepId", "linkIndex", "machine", "machineReason", "userAgent", "createdAt")
    SELECT CASE WHEN g.h < 70 THEN 'open' ELSE 'click' END::"TrackingEventType", g."sendId", g."contactId", g."sequenceId", g."stepId",
           CASE WHEN g.h < 70 THEN NULL ELSE g.j % 2 END,
           g.h % 5 = 0,
           CASE WHEN g.h % 5 <> 0 THEN NULL WHEN g.h < 70 THEN 'apple_privacy_proxy' ELSE 'bot_user_agent' END,
           $3, g."sentAt" + (5 + 37 * g.j) * interval '1 minute'
    FROM generated g`, [events, mean, USER_AGENT]);

  await step("engagement (unique per message)", `
    INSERT INTO "SendEngagement" ("sendId", "kind", "at")
    SELECT "sendId", CASE "type" WHEN 'open' THEN 'opened' ELSE 'clicked' END, min("createdAt")
    FROM "TrackingEvent" WHERE NOT "machine" GROUP BY 1, 2
    UNION ALL
    (SELECT DISTINCT ON (e."id") ss."id", CASE e."status" WHEN 'replied' THEN 'replied' WHEN 'opted_out' THEN 'unsubscribed' ELSE 'bounced' END, e."exitedAt"
     FROM "Enrollment" e JOIN "StepSend" ss ON ss."enrollmentId" = e."id" AND ss."status" = 'sent'
     WHERE e."status" IN ('replied', 'opted_out', 'bounced')
     ORDER BY e."id", ss."sentAt" DESC)`);

  await step("engagement counters", `
    WITH counted AS (
      SELECT st."sequenceId", ss."stepId", ss."sentAt"::date AS "day", 'sent' AS "kind", count(*)::int AS n
      FROM "StepSend" ss JOIN "SequenceStep" st ON st."id" = ss."stepId" WHERE ss."status" = 'sent' GROUP BY 1, 2, 3
      UNION ALL
      SELECT st."sequenceId", ss."stepId", se."at"::date, se."kind", count(*)::int
      FROM "SendEngagement" se JOIN "StepSend" ss ON ss."id" = se."sendId" JOIN "SequenceStep" st ON st."id" = ss."stepId" GROUP BY 1, 2, 3, 4
      UNION ALL
      SELECT "sequenceId", "stepId", "createdAt"::date, 'machine', count(*)::int FROM "TrackingEvent" WHERE "machine" GROUP BY 1, 2, 3
    ), ranked AS (
      SELECT c.*, row_number() OVER (PARTITION BY c."sequenceId" ORDER BY md5(c."stepId" || c."day" || c."kind")) AS r FROM counted c
    )
    INSERT INTO "EngagementCounter" ("sequenceId", "stepId", "day", "kind", "delta")
    SELECT "sequenceId", "stepId", "day", "kind", CASE WHEN r <= $1 AND n > 1 THEN n - 1 ELSE n END FROM ranked
    UNION ALL
    SELECT "sequenceId", "stepId", "day", "kind", 1 FROM ranked WHERE r <= $1 AND n > 1`, [UNFOLDED_ROWS_PER_SEQUENCE]);

  // What EngagementCounter's triggers keep, as the migration's backfill
  // writes it (folded: one row per sequence and kind), so a fresh set and a
  // kept one upgraded by that migration read the same.
  await step("engagement totals", `
    INSERT INTO "EngagementTotal" ("sequenceId", "kind", "delta")
    SELECT "sequenceId", "kind", sum("delta")::int FROM "EngagementCounter"
    WHERE "kind" IN ('sent', 'replied', 'unsubscribed', 'bounced')
    GROUP BY 1, 2
    HAVING sum("delta") <> 0`);
}
