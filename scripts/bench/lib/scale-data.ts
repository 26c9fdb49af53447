/**
 * The admin-queries data set: at the default scale 100,000 contacts, 300,000
 * enrollments and 1,000,000 event-log rows (ten times each at `--scale=1m`),
 * made set-based in a few statements. Shapes
 * follow what the app writes: two tags per contact; each contact in 3 of 10
 * sequences of 3 steps; statuses mixed (40% active); sends for a prefix of
 * the steps; an "enrolled", a "step_sent"/"step_failed" per send and an
 * "exited" per ended enrollment, topped up with "step_skipped" events to
 * exactly 1,000,000; and engagement tracking, 3,000,000 open and click
 * events with their counters (tracking-data.ts). Triggers are off while generating, so what they keep
 * (currentStepIndex, nextStepId, SequenceCounter, SkippedStep, Contact.tagIds, EngagementCounter's
 * "sent", EngagementTotal) is written directly.
 */
import type pg from "pg";
import { insertContacts, insertSequence } from "./data";
import { buildTrackingData } from "./tracking-data";

/**
 * A non-negative hash of a text, for picking by modulo. Widened first:
 * hashtext can return -2^31, whose int4 abs() overflows (at 10M rows that
 * happens about once in four runs).
 */
const HASH = (text: string) => `abs(hashtext(${text})::bigint)`;

/** Steps sent so far: all 3 when completed, 0-2 when live, 1-2 when ended early. */
const SENT_STEPS = (status: string, id: string) =>
  `CASE WHEN ${status} = 'completed' THEN 3 WHEN ${status} IN ('active', 'paused') THEN ${HASH(id)} % 3 ELSE 1 + ${HASH(id)} % 2 END`;

export type Scale = { name: string; contacts: number; sequences: number; enrollmentsPerContact: number; events: number; trackingEvents: number; tags: number; steps: number };

const SCALES: Record<string, Scale> = {
  "100k": { name: "100k", contacts: 100_000, sequences: 10, enrollmentsPerContact: 3, events: 1_000_000, trackingEvents: 3_000_000, tags: 30, steps: 3 },
  "1m": { name: "1m", contacts: 1_000_000, sequences: 10, enrollmentsPerContact: 3, events: 10_000_000, trackingEvents: 30_000_000, tags: 30, steps: 3 },
};

/** `--scale=100k` (the default) or `--scale=1m`. */
export function scaleNamed(name: string): Scale {
  const scale = SCALES[name.toLowerCase()];
  if (!scale) throw new Error(`unknown scale "${name}"; known: ${Object.keys(SCALES).join(", ")}`);
  return scale;
}

export async function buildScaleData(pool: pg.Pool, scale: Scale, log: (line: string) => void): Promise<void> {
  const client = await pool.connect();
  try {
    // A throwaway data set, consistent by construction: no fsync wait per
    // commit, and no per-row foreign-key triggers (the embedded cluster's
    // user is its superuser). The benchmarks themselves run with both on.
    await client.query("SET synchronous_commit = off");
    await client.query("SET session_replication_role = replica");
    const step = async (label: string, sql: string, params: unknown[] = []) => {
      const started = Date.now();
      await client.query(sql, params);
      log(`[stats] data: ${label} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    };
    await insertContacts(client, scale.contacts, "scale");
    for (let i = 0; i < scale.sequences; i++) await insertSequence(client, { name: `Sequence ${i + 1}`, steps: scale.steps });
    await client.query(
      `INSERT INTO "Tag" ("id", "name") SELECT gen_random_uuid()::text, 'tag-' || t FROM generate_series(1, $1::int) AS t`,
      [scale.tags],
    );
    // Each contact gets two tags, picked by a hash of its (random) id.
    await step("tags", `
      WITH t AS (SELECT "id", row_number() OVER (ORDER BY "name") - 1 AS k FROM "Tag")
      INSERT INTO "ContactTag" ("contactId", "tagId", "createdAt")
      SELECT c."id", t."id", now() FROM "Contact" c
      JOIN t ON t.k IN (${HASH(`c."id"`)} % ${scale.tags}, ${HASH(`c."id" || '/2'`)} % ${scale.tags})
      ON CONFLICT DO NOTHING`);
    // What the ContactTag triggers keep (they are off here): each contact's tag ids.
    await step("tag ids", `
      UPDATE "Contact" c SET "tagIds" = t."ids"
      FROM (SELECT "contactId", array_agg("tagId" ORDER BY "tagId") AS "ids" FROM "ContactTag" GROUP BY "contactId") t
      WHERE c."id" = t."contactId"`);

    // Three sequences per contact; status, and how many steps were sent
    // (all when completed, else a prefix), by hashes of the random ids.
    await step("enrollments", `
      WITH c AS (SELECT "id", row_number() OVER (ORDER BY "createdAt", "id") AS n, "createdAt" FROM "Contact"),
           s AS (SELECT "id", row_number() OVER (ORDER BY "name") - 1 AS k FROM "Sequence"),
           pairs AS (
             SELECT gen_random_uuid()::text AS "id", c."id" AS "contactId", s."id" AS "sequenceId", c."createdAt",
                    ${HASH(`c."id" || s."id"`)} % 100 AS h
             FROM c JOIN s ON s.k IN (c.n % ${scale.sequences}, (c.n + 3) % ${scale.sequences}, (c.n + 6) % ${scale.sequences})
           ),
           statused AS (
             SELECT *, CASE WHEN h < 40 THEN 'active' WHEN h < 42 THEN 'paused' WHEN h < 72 THEN 'completed' WHEN h < 84 THEN 'removed'
                            WHEN h < 90 THEN 'opted_out' WHEN h < 96 THEN 'replied' ELSE 'bounced' END AS st
             FROM pairs
           ),
           counted AS (SELECT *, ${SENT_STEPS("st", `"id"`)} AS k FROM statused)
      INSERT INTO "Enrollment" ("id", "contactId", "sequenceId", "status", "exitReason", "source", "currentStepIndex", "nextStepId",
                                "enrolledAt", "exitedAt", "nextStepDueAt", "updatedAt")
      SELECT p."id", p."contactId", p."sequenceId", p.st::"EnrollmentStatus",
             CASE WHEN p.st IN ('active', 'paused') THEN NULL ELSE p.st::"ExitReason" END,
             'trigger:tag_added', p.k, next."id", p."createdAt" + interval '1 hour',
             CASE WHEN p.st IN ('active', 'paused') THEN NULL ELSE p."createdAt" + interval '10 days' END,
             CASE WHEN p.st IN ('active', 'paused') THEN p."createdAt" + interval '2 days' ELSE NULL END, now()
      FROM counted p LEFT JOIN "SequenceStep" next ON next."sequenceId" = p."sequenceId" AND next."position" = p.k`);

    // The sends those counts say; 1% failed (a failed send is still handled).
    await step("sends", `
      WITH sent AS (SELECT e.*, ${SENT_STEPS(`e."status"::text`, `e."id"`)} AS k FROM "Enrollment" e)
      INSERT INTO "StepSend" ("id", "enrollmentId", "stepId", "status", "messageId", "claimedAt", "sentAt")
      SELECT gen_random_uuid()::text, sent."id", st."id",
             CASE WHEN ${HASH(`sent."id" || st."id"`)} % 100 = 0 THEN 'failed'::"SendStatus" ELSE 'sent'::"SendStatus" END,
             sent."id" || '.' || st."id" || '@bench', sent."enrolledAt" + st."position" * interval '1 day', sent."enrolledAt" + st."position" * interval '1 day'
      FROM sent JOIN "SequenceStep" st ON st."sequenceId" = sent."sequenceId" AND st."position" < sent.k`);

    await step("enrolled events", `
      INSERT INTO "EnrollmentEvent" ("type", "contactId", "sequenceId", "enrollmentId", "reason", "createdAt")
      SELECT 'enrolled', "contactId", "sequenceId", "id", "source", "enrolledAt" FROM "Enrollment"`);
    await step("send events", `
      INSERT INTO "EnrollmentEvent" ("type", "contactId", "sequenceId", "enrollmentId", "stepId", "reason", "createdAt")
      SELECT CASE WHEN ss."status" = 'sent' THEN 'step_sent'::"EnrollmentEventType" ELSE 'step_failed'::"EnrollmentEventType" END,
             e."contactId", e."sequenceId", e."id", ss."stepId", CASE WHEN ss."status" = 'sent' THEN 'Step' ELSE 'delivery_failed' END, ss."claimedAt"
      FROM "StepSend" ss JOIN "Enrollment" e ON e."id" = ss."enrollmentId"`);
    await step("exit events", `
      INSERT INTO "EnrollmentEvent" ("type", "contactId", "sequenceId", "enrollmentId", "reason", "createdAt")
      SELECT 'exited', "contactId", "sequenceId", "id", "exitReason"::text, "exitedAt" FROM "Enrollment" WHERE "exitedAt" IS NOT NULL`);
    // Top up to exactly scale.events with skips of the next step of ended enrollments (as a run logs them).
    const { rows: [{ n }] } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "EnrollmentEvent"`);
    log(`[stats] data: ${n} events before the top-up to ${scale.events}`);
    if (n > scale.events) throw new Error(`the data set has ${n} events, more than ${scale.events}`);
    await client.query(
      `INSERT INTO "EnrollmentEvent" ("type", "contactId", "sequenceId", "enrollmentId", "stepId", "reason", "createdAt")
       SELECT 'step_skipped', e."contactId", e."sequenceId", e."id", st."id", 'enrollment_' || e."status", e."exitedAt"
       FROM "Enrollment" e JOIN "SequenceStep" st ON st."sequenceId" = e."sequenceId" AND st."position" = e."currentStepIndex"
       WHERE e."status" IN ('removed', 'opted_out', 'replied', 'bounced')
       ORDER BY e."id" LIMIT $1`,
      [scale.events - n],
    );
    // The stats panel's running totals (their triggers were off), as the migrations compute them.
    await step("skipped steps", `
      INSERT INTO "SkippedStep" ("enrollmentId", "stepId", "sequenceId", "sent")
      SELECT DISTINCT ON (ev."enrollmentId", ev."stepId") ev."enrollmentId", ev."stepId", ev."sequenceId",
             EXISTS (SELECT 1 FROM "StepSend" ss WHERE ss."enrollmentId" = ev."enrollmentId" AND ss."stepId" = ev."stepId")
      FROM "EnrollmentEvent" ev
      WHERE ev."type" = 'step_skipped' AND ev."enrollmentId" IS NOT NULL AND ev."stepId" IS NOT NULL
        AND NOT starts_with(coalesce(ev."reason", ''), 'sequence_')
      ORDER BY ev."enrollmentId", ev."stepId", ev."id"`);
    await step("counters", `
      INSERT INTO "SequenceCounter" ("sequenceId", "key", "delta")
      SELECT "sequenceId", 'status:' || "status", count(*)::int FROM "Enrollment" GROUP BY 1, 2
      UNION ALL
      SELECT "sequenceId", 'waiting:' || "nextStepId", count(*)::int FROM "Enrollment" WHERE "status" = 'active' AND "nextStepId" IS NOT NULL GROUP BY 1, 2
      UNION ALL
      SELECT st."sequenceId", ss."status" || ':' || ss."stepId", count(*)::int
      FROM "StepSend" ss JOIN "SequenceStep" st ON st."id" = ss."stepId" WHERE ss."status" IN ('sent', 'failed') GROUP BY 1, 2
      UNION ALL
      SELECT "sequenceId", 'skipped:' || "stepId", count(*)::int FROM "SkippedStep" WHERE NOT "sent" GROUP BY 1, 2`);
    await buildTrackingData(client, scale.trackingEvents, step);
    await step("vacuum", "VACUUM ANALYZE");
  } finally {
    client.release();
  }
}
