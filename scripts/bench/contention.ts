/**
 * 2. Contention: 200 concurrent enrollContact calls over 10 (contact,
 * sequence) pairs, through the app's default pool (10 connections). Exactly
 * 10 active enrollments must result; we report per-call latency. Baseline:
 * the same 200 calls as one raw INSERT ... ON CONFLICT DO NOTHING each,
 * through a raw pool of the same size.
 */
import { randomUUID } from "node:crypto";
import { createPrismaClient } from "../../lib/db/prisma";
import { setEventSender, type OutgoingEvent } from "../../lib/events/publish";
import { enrollContact, type EnrollResult } from "../../lib/sequences/enroll-contact";
import { type BenchCluster, rawPool } from "./lib/database";
import { insertContacts, insertSequence } from "./lib/data";
import type { BenchResult } from "./lib/report";
import { median, percentile, timed } from "./lib/stats";

const PAIRS = 10;
const CALLS = 200;
const REPETITIONS = 3;
const POOL_SIZE = 10; // the app's default (lib/db/prisma.ts)

type Fixture = { pairs: { contactId: string; sequenceId: string }[] };

async function prepare(cluster: BenchCluster, name: string): Promise<{ url: string; fixture: Fixture }> {
  const url = await cluster.createDatabase(name);
  const pool = rawPool(url, 1);
  try {
    await insertContacts(pool, PAIRS, name);
    const sequence = await insertSequence(pool, { name: "Contended", steps: 3 });
    const { rows } = await pool.query<{ id: string }>(`SELECT "id" FROM "Contact" ORDER BY "email"`);
    return { url, fixture: { pairs: rows.map((r) => ({ contactId: r.id, sequenceId: sequence.id })) } };
  } finally {
    await pool.end();
  }
}

/** Call i goes to pair i mod 10: 20 callers race for each pair. */
const pairOf = (fixture: Fixture, call: number) => fixture.pairs[call % PAIRS];

async function runProduct(cluster: BenchCluster, name: string) {
  const { url, fixture } = await prepare(cluster, name);
  const db = createPrismaClient(url, { poolSize: POOL_SIZE });
  const published: OutgoingEvent[] = [];
  setEventSender(async (events) => {
    published.push(...events);
  });
  try {
    await db.$queryRaw`SELECT 1`;
    const calls = Array.from({ length: CALLS }, (_, i) => timed(() => enrollContact(db, { ...pairOf(fixture, i), source: "api" })));
    const settled = await Promise.allSettled(calls);
    const outcomes = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    const errors = settled.flatMap((s) => (s.status === "rejected" ? [String(s.reason).split("\n")[0].slice(0, 200)] : []));
    const [{ active }] = await db.$queryRaw<{ active: number }[]>`SELECT count(*)::int AS active FROM "Enrollment" WHERE "status" = 'active'`;
    const count = (outcome: EnrollResult["outcome"]) => outcomes.filter((o) => o.result.outcome === outcome).length;
    return {
      latencies: outcomes.map((o) => o.ms),
      errors,
      active,
      enrolled: count("enrolled"),
      alreadyEnrolled: count("already_enrolled"),
      started: published.filter((e) => e.name === "stepwise/enrollment.started").length,
    };
  } finally {
    setEventSender(null);
    await db.$disconnect();
    await cluster.dropDatabase(name);
  }
}

async function runBaseline(cluster: BenchCluster, name: string) {
  const { url, fixture } = await prepare(cluster, name);
  const pool = rawPool(url, POOL_SIZE);
  try {
    await pool.query("SELECT 1");
    const now = new Date().toISOString();
    const calls = Array.from({ length: CALLS }, (_, i) =>
      timed(() =>
        pool.query(
          `INSERT INTO "Enrollment" ("id","contactId","sequenceId","status","source","enrolledAt","nextStepDueAt","updatedAt")
           VALUES ($1, $2, $3, 'active', 'api', $4, $4, $4)
           ON CONFLICT ("contactId", "sequenceId") WHERE "status" IN ('active', 'paused') DO NOTHING`,
          [randomUUID(), pairOf(fixture, i).contactId, pairOf(fixture, i).sequenceId, now],
        ),
      ),
    );
    const outcomes = await Promise.all(calls);
    const { rows: [{ active }] } = await pool.query<{ active: number }>(`SELECT count(*)::int AS active FROM "Enrollment" WHERE "status" = 'active'`);
    return { latencies: outcomes.map((o) => o.ms), active };
  } finally {
    await pool.end();
    await cluster.dropDatabase(name);
  }
}

export async function benchContention(cluster: BenchCluster, log: (line: string) => void): Promise<BenchResult> {
  await runProduct(cluster, "contention_warm_p");
  await runBaseline(cluster, "contention_warm_b");
  const product: number[] = [];
  const baseline: number[] = [];
  const checks: string[] = [];
  for (let i = 0; i < REPETITIONS; i++) {
    const p = await runProduct(cluster, `contention_p${i}`);
    const b = await runBaseline(cluster, `contention_b${i}`);
    product.push(...p.latencies);
    baseline.push(...b.latencies);
    const ok = p.errors.length === 0 && p.active === PAIRS && p.enrolled === PAIRS && p.alreadyEnrolled === CALLS - PAIRS && p.started === PAIRS && b.active === PAIRS;
    if (!ok) checks.push(`run ${i + 1}: ${JSON.stringify({ ...p, latencies: undefined, errors: p.errors.length, firstError: p.errors[0], baselineActive: b.active })}`);
    log(`[contention] run ${i + 1}: ${p.errors.length} errors${p.errors.length ? ` (${p.errors[0]})` : ""}, ${p.active} active, ${p.enrolled} enrolled, ${p.alreadyEnrolled} already enrolled; p50 ${median(p.latencies).toFixed(1)} ms, p99 ${percentile(p.latencies, 99).toFixed(1)} ms (raw p50 ${median(b.latencies).toFixed(1)} ms)`);
  }
  const stats = (xs: number[]) => ({ p50_ms: median(xs), p99_ms: percentile(xs, 99), max_ms: Math.max(...xs) });
  return {
    name: "contention",
    unit: `ms per call, ${CALLS} concurrent calls x ${REPETITIONS} runs`,
    product: stats(product),
    baseline: stats(baseline),
    ratio: median(product) / median(baseline),
    target: `exactly ${PAIRS} active enrollments, no errors`,
    pass: checks.length === 0,
    notes: { pairs: PAIRS, calls: CALLS, pool_size: POOL_SIZE, failures: checks, baseline: "one raw INSERT ... ON CONFLICT DO NOTHING per call, same pool size" },
  };
}
