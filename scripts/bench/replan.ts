/**
 * 7. Re-planning: a schedule edit on a sequence with 10,000 waiting
 * enrollments (each sent step 1, waiting on step 2, contacts in several
 * zones), through the app's own updateSequenceSchedule: one transaction
 * that plans every enrollment again with planNextSend in its contact's zone,
 * moves them (one statement), records the moves on their timelines and
 * publishes a version, then hands the wake-up event to the event sender.
 * Timed until it returns: by then every enrollment has its new due time in
 * the database, which is what a run reads when it wakes (a run that misses
 * the event re-plans at its old due time: late, never early). Checked: every
 * enrollment moved, every new time inside the new window in its contact's
 * zone. Baseline: one raw UPDATE of the same rows' due times and version.
 */
import { Temporal } from "temporal-polyfill";
import { setClock } from "../../lib/clock";
import { setEventSender, type OutgoingEvent } from "../../lib/events/publish";
import { updateSequenceSchedule } from "../../lib/sequences/schedule-mutations";
import { releaseAppDatabase, useAppDatabase } from "./lib/app";
import { type BenchCluster, rawPool } from "./lib/database";
import { insertContacts, insertSequence } from "./lib/data";
import type { BenchResult } from "./lib/report";
import { median, timed } from "./lib/stats";

const ENROLLMENTS = Number(process.env.BENCH_REPLAN_ENROLLMENTS ?? 10_000);
const PRODUCT_RUNS = 3;
const BASELINE_RUNS = 5;
const TARGET = 10;
/** Monday 5 January 2026, 10:00 UTC. */
const NOW = Date.UTC(2026, 0, 5, 10, 0);
const ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kathmandu", "Australia/Lord_Howe", "Pacific/Apia", "UTC"];
const NEW_SCHEDULE = { anyTime: false, days: [2, 3, 4] as (2 | 3 | 4)[], windowStart: "13:00", windowEnd: "15:00", holidayCountry: null, timezone: "Europe/Berlin" };
const TEMPLATE = "replan_template";

/** One database with the data; every run gets a fresh copy of it. */
async function prepareTemplate(cluster: BenchCluster): Promise<{ sequenceId: string }> {
  const url = await cluster.createDatabase(TEMPLATE);
  const pool = rawPool(url, 1);
  try {
    await insertContacts(pool, ENROLLMENTS, "replan");
    await pool.query(`UPDATE "Contact" SET "timezone" = ($1::text[])[1 + abs(hashtext("id")) % cardinality($1::text[])]`, [ZONES]);
    const { id, stepIds } = await insertSequence(pool, { name: "Onboarding", steps: 3, stepDelay: { amount: 1, unit: "days" } });
    await pool.query(`UPDATE "Sequence" SET "schedule" = $2::jsonb, "timezone" = 'Europe/Berlin' WHERE "id" = $1`, [
      id,
      JSON.stringify({ days: [1, 2, 3, 4, 5], window: { start: "09:00", end: "17:00" }, holidayCountry: null }),
    ]);
    const enrolledAt = new Date(NOW - 3_600_000);
    await pool.query(
      `INSERT INTO "Enrollment" ("id", "contactId", "sequenceId", "source", "enrolledAt", "waitingStepId", "sequenceVersion", "currentStepIndex", "nextStepDueAt", "updatedAt")
       SELECT gen_random_uuid()::text, c."id", $1, 'manual', $2, $3, 1, 1, $2::timestamp + interval '1 day', $2 FROM "Contact" c`,
      [id, enrolledAt, stepIds[1]],
    );
    await pool.query(
      `INSERT INTO "StepSend" ("id", "enrollmentId", "stepId", "status", "claimedAt", "sentAt")
       SELECT gen_random_uuid()::text, e."id", $2, 'sent', $3, $3 FROM "Enrollment" e WHERE e."sequenceId" = $1`,
      [id, stepIds[0], enrolledAt],
    );
    await pool.query("VACUUM ANALYZE");
    return { sequenceId: id };
  } finally {
    await pool.end();
  }
}

function insideNewWindow(at: Date, zone: string): boolean {
  const t = Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(zone);
  const minutes = t.hour * 60 + t.minute + t.second / 60;
  return NEW_SCHEDULE.days.includes(t.dayOfWeek as 2 | 3 | 4) && minutes >= 13 * 60 && minutes <= 15 * 60;
}

async function runProduct(cluster: BenchCluster, name: string, sequenceId: string) {
  const url = await cluster.createDatabase(name, TEMPLATE);
  const db = await useAppDatabase(url);
  const events: OutgoingEvent[] = [];
  setClock({ now: () => NOW });
  setEventSender(async (batch) => {
    events.push(...batch);
  });
  try {
    await db.$queryRaw`SELECT 1`;
    const { ms } = await timed(() => updateSequenceSchedule(db, { ...NEW_SCHEDULE, sequenceId }));
    const rows = await db.$queryRaw<{ nextStepDueAt: Date; sequenceVersion: number; timezone: string }[]>`
      SELECT e."nextStepDueAt", e."sequenceVersion", c."timezone" FROM "Enrollment" e JOIN "Contact" c ON c."id" = e."contactId"
      WHERE e."sequenceId" = ${sequenceId} AND e."status" = 'active'`;
    const replanned = rows.filter((r) => r.sequenceVersion === 2 && insideNewWindow(r.nextStepDueAt, r.timezone === "UTC" ? "Europe/Berlin" : r.timezone));
    if (rows.length !== ENROLLMENTS || replanned.length !== ENROLLMENTS) {
      throw new Error(`replan: ${replanned.length} of ${rows.length} enrollments have a new due time inside the new window`);
    }
    if (!events.some((e) => e.name === "stepwise/sequence.published")) throw new Error("replan: no wake-up event was published");
    return { ms };
  } finally {
    setEventSender(null);
    setClock(null);
    await releaseAppDatabase();
    await cluster.dropDatabase(name);
  }
}

async function runBaseline(cluster: BenchCluster, name: string, sequenceId: string) {
  const url = await cluster.createDatabase(name, TEMPLATE);
  const pool = rawPool(url, 1);
  try {
    await pool.query("SELECT 1");
    const { ms, result } = await timed(() =>
      pool.query(
        `UPDATE "Enrollment" SET "nextStepDueAt" = "nextStepDueAt" + interval '1 day', "sequenceVersion" = 2, "updatedAt" = now()
         WHERE "sequenceId" = $1 AND "status" = 'active'`,
        [sequenceId],
      ),
    );
    if (result.rowCount !== ENROLLMENTS) throw new Error(`baseline updated ${result.rowCount} rows`);
    return { ms };
  } finally {
    await pool.end();
    await cluster.dropDatabase(name);
  }
}

export async function benchReplan(cluster: BenchCluster, log: (line: string) => void): Promise<BenchResult> {
  const { sequenceId } = await prepareTemplate(cluster);
  try {
    await runBaseline(cluster, "replan_warm", sequenceId);
    const baselines: number[] = [];
    const products: number[] = [];
    // Interleaved, so that a change in the machine's load falls on both.
    for (let i = 0; i < Math.max(PRODUCT_RUNS, BASELINE_RUNS); i++) {
      if (i < BASELINE_RUNS) baselines.push((await runBaseline(cluster, `replan_b${i}`, sequenceId)).ms);
      if (i < PRODUCT_RUNS) products.push((await runProduct(cluster, `replan_p${i}`, sequenceId)).ms);
    }
    const product = median(products);
    const baseline = median(baselines);
    log(`[replan] product ${products.map((ms) => ms.toFixed(0)).join(", ")} ms; baseline ${baselines.map((ms) => ms.toFixed(0)).join(", ")} ms`);
    const ratio = product / baseline;
    return {
      name: "replan",
      unit: `ms until ${ENROLLMENTS.toLocaleString("en")} waiting enrollments have their new due time (median of ${PRODUCT_RUNS}; baseline of ${BASELINE_RUNS})`,
      product: { ms: product },
      baseline: { ms: baseline },
      ratio,
      target: `<= ${TARGET}x`,
      pass: ratio <= TARGET,
      notes: { enrollments: ENROLLMENTS, product_runs_ms: products.map(Math.round), baseline_runs_ms: baselines.map(Math.round) },
    };
  } finally {
    await cluster.dropDatabase(TEMPLATE);
  }
}
