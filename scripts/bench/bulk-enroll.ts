/**
 * 1. Bulk enrollment: 10,000 contacts get a trigger tag through the bulk path
 * (addTags -> tag_added triggers -> enrollMany), timed until all 10,000
 * enrollments and their start events exist. Baseline: one raw multi-row
 * INSERT of 10,000 enrollment rows. Each repetition runs on fresh copies of
 * the same database; we report medians.
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { addTags } from "../../lib/contacts/tags";
import { createPrismaClient } from "../../lib/db/prisma";
import { setEventSender, type OutgoingEvent } from "../../lib/events/publish";
import { startedEnrollmentIds } from "../../lib/sequences/run-events";
import { type BenchCluster, rawPool } from "./lib/database";
import { insertContacts, insertSequence } from "./lib/data";
import type { BenchResult } from "./lib/report";
import { median, timed } from "./lib/stats";

const CONTACTS = 10_000;
const REPETITIONS = 7;
const TAG = "trial";

type Fixture = { contactIds: string[]; sequenceId: string; baselineSequenceId: string; baselineFirstStepId: string; triggerId: string };

async function buildTemplate(cluster: BenchCluster): Promise<Fixture> {
  const url = await cluster.createDatabase("bulk_template");
  const pool = rawPool(url, 2);
  try {
    await insertContacts(pool, CONTACTS, "bulk");
    const sequence = await insertSequence(pool, { name: "Trial onboarding", steps: 3 });
    const baseline = await insertSequence(pool, { name: "Baseline", steps: 3 });
    const { rows: [tag] } = await pool.query<{ id: string }>(`INSERT INTO "Tag" ("id", "name") VALUES (gen_random_uuid()::text, $1) RETURNING "id"`, [TAG]);
    const { rows: [trigger] } = await pool.query<{ id: string }>(
      `INSERT INTO "SequenceTrigger" ("id", "sequenceId", "type", "tagId") VALUES (gen_random_uuid()::text, $1, 'tag_added', $2) RETURNING "id"`,
      [sequence.id, tag.id],
    );
    await pool.query("VACUUM ANALYZE");
    const { rows } = await pool.query<{ id: string }>(`SELECT "id" FROM "Contact" ORDER BY "createdAt"`);
    return {
      contactIds: rows.map((r) => r.id),
      sequenceId: sequence.id,
      baselineSequenceId: baseline.id,
      baselineFirstStepId: baseline.stepIds[0],
      triggerId: trigger.id,
    };
  } finally {
    await pool.end();
  }
}

async function runProduct(cluster: BenchCluster, name: string, fixture: Fixture) {
  const url = await cluster.createDatabase(name, "bulk_template");
  const db = createPrismaClient(url);
  const published: OutgoingEvent[] = [];
  setEventSender(async (events) => {
    published.push(...events);
  });
  try {
    await db.$queryRaw`SELECT 1`;
    await cluster.admin("CHECKPOINT");
    const { ms, result } = await timed(() => addTags(db, { contactIds: fixture.contactIds, tagNames: [TAG], source: "admin" }));
    const [{ enrollments, events }] = await db.$queryRaw<{ enrollments: number; events: number }[]>`
      SELECT (SELECT count(*)::int FROM "Enrollment" WHERE "sequenceId" = ${fixture.sequenceId}) AS enrollments,
             (SELECT count(*)::int FROM "EnrollmentEvent" WHERE "type" = 'enrolled') AS events`;
    // Alone or in a cohort of their sequence: one run start per enrollment.
    const started = new Set(startedEnrollmentIds(published)).size;
    if (enrollments !== CONTACTS || events !== CONTACTS || started !== CONTACTS || result.triggers.enrolled !== CONTACTS) {
      throw new Error(`bulk enrollment incomplete: ${enrollments} enrollments, ${events} enrolled events, ${started} start events published`);
    }
    return ms;
  } finally {
    setEventSender(null);
    await db.$disconnect();
    await cluster.dropDatabase(name);
  }
}

/**
 * The baseline: one multi-row INSERT ... VALUES of the rows the
 * product writes (nextStepId included, as the product sets it), ids made by
 * the client.
 */
export function valuesInsertSql(fixture: Fixture): string {
  const now = new Date().toISOString();
  const { baselineSequenceId: sequenceId, baselineFirstStepId: stepId, triggerId } = fixture;
  const rows = fixture.contactIds.map(
    (contactId) => `('${randomUUID()}','${contactId}','${sequenceId}','active','trigger:tag_added','${triggerId}','${now}','${now}','${stepId}','${now}')`,
  );
  return `INSERT INTO "Enrollment" ("id","contactId","sequenceId","status","source","triggerId","enrolledAt","nextStepDueAt","nextStepId","updatedAt") VALUES ${rows.join(",")}`;
}

/** A stricter floor: the same rows from arrays (unnest), which skips parsing 10,000 VALUES rows. */
function unnestInsert(pool: pg.Pool, fixture: Fixture) {
  const ids = fixture.contactIds.map(() => randomUUID());
  const now = new Date().toISOString();
  return () =>
    pool.query(
      `INSERT INTO "Enrollment" ("id","contactId","sequenceId","status","source","triggerId","enrolledAt","nextStepDueAt","nextStepId","updatedAt")
       SELECT i, c, $3, 'active', 'trigger:tag_added', $4, $5::timestamp(3), $5::timestamp(3), $6, $5::timestamp(3) FROM unnest($1::text[], $2::text[]) AS r(i, c)`,
      [ids, fixture.contactIds, fixture.baselineSequenceId, fixture.triggerId, now, fixture.baselineFirstStepId],
    );
}

type BaselineKind = "values" | "unnest";

async function runBaseline(cluster: BenchCluster, name: string, fixture: Fixture, kind: BaselineKind) {
  const url = await cluster.createDatabase(name, "bulk_template");
  const pool: pg.Pool = rawPool(url, 1);
  try {
    await pool.query("SELECT 1");
    const sql = valuesInsertSql(fixture);
    const insert = kind === "values" ? () => pool.query(sql) : unnestInsert(pool, fixture);
    await cluster.admin("CHECKPOINT");
    const { ms } = await timed(insert);
    const { rows: [{ n }] } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Enrollment"`);
    if (n !== CONTACTS) throw new Error(`baseline inserted ${n} rows`);
    return ms;
  } finally {
    await pool.end();
    await cluster.dropDatabase(name);
  }
}

export async function benchBulkEnroll(cluster: BenchCluster, log: (line: string) => void): Promise<BenchResult> {
  const fixture = await buildTemplate(cluster);
  // One untimed round of each warms the JIT and Prisma's query caches, as in a running app.
  await runProduct(cluster, "bulk_warm_p", fixture);
  await runBaseline(cluster, "bulk_warm_b", fixture, "values");
  await runBaseline(cluster, "bulk_warm_u", fixture, "unnest");
  const runs = { product: [] as number[], values: [] as number[], unnest: [] as number[] };
  const order = ["product", "values", "unnest"] as const;
  for (let i = 0; i < REPETITIONS; i++) {
    // Rotating which goes first spreads drift (checkpoints, load) over all three.
    for (let j = 0; j < order.length; j++) {
      const kind = order[(i + j) % order.length];
      const name = `bulk_${kind}_${i}`;
      runs[kind].push(kind === "product" ? await runProduct(cluster, name, fixture) : await runBaseline(cluster, name, fixture, kind));
    }
    log(`[bulk] run ${i + 1}: product ${runs.product[i].toFixed(0)} ms, VALUES baseline ${runs.values[i].toFixed(0)} ms, unnest insert ${runs.unnest[i].toFixed(0)} ms`);
  }
  await cluster.dropDatabase("bulk_template");
  const summary = (xs: number[]) => ({ ms: median(xs), min_ms: Math.min(...xs), max_ms: Math.max(...xs) });
  // Each repetition's three runs are back to back, so their ratio is what
  // the machine's drifting load disturbs least: the median of those is the
  // figure; the ratio of the medians is in the notes.
  const ratio = median(runs.product.map((ms, i) => ms / runs.values[i]));
  return {
    name: "bulk_enroll",
    unit: `ms, median of ${REPETITIONS}; ratio: median of the paired ratios`,
    product: summary(runs.product),
    baseline: summary(runs.values),
    ratio,
    target: "<= 3x",
    pass: ratio <= 3,
    notes: {
      contacts: CONTACTS,
      baseline: "one INSERT ... VALUES of 10,000 enrollment rows (the issue's baseline)",
      ratio_of_medians: median(runs.product) / median(runs.values),
      unnest_insert_ms: median(runs.unnest),
      ratio_vs_unnest_insert: median(runs.product.map((ms, i) => ms / runs.unnest[i])),
      product_runs_ms: runs.product.map(Math.round),
      values_runs_ms: runs.values.map(Math.round),
      unnest_runs_ms: runs.unnest.map(Math.round),
    },
  };
}
