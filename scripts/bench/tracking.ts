/**
 * 7. Tracking routes: a click on /r/<token> (app/r/[token]/route.ts) and an
 * open of /o/<token> (app/o/[token]/route.ts), called in-process with real
 * Requests, CONCURRENCY at a time through the app's default pool (10), each
 * on a different sent message (a person's first: the event, the unique row
 * and the counter are all written). Timed per request until it answers.
 * Baseline: one raw INSERT of the event row per request, same concurrency,
 * same pool size. Checked: every click redirected to its stored URL and
 * every request recorded.
 */
import { GET as click } from "../../app/r/[token]/route";
import { GET as open } from "../../app/o/[token]/route";
import { createClickToken, createOpenToken } from "../../lib/tracking/token";
import { releaseAppDatabase, useAppDatabase } from "./lib/app";
import { type BenchCluster, rawPool } from "./lib/database";
import { insertContacts, insertSequence } from "./lib/data";
import type { BenchResult } from "./lib/report";
import { median, percentile, timed } from "./lib/stats";

const CONCURRENCY = 200;
const ROUNDS = 3;
const SENDS = CONCURRENCY * ROUNDS;
const RATIO_TARGET = 5;
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";

type Send = { sendId: string; contactId: string; sequenceId: string; stepId: string };

async function prepare(cluster: BenchCluster, name: string): Promise<{ url: string; sends: Send[] }> {
  const url = await cluster.createDatabase(name);
  const pool = rawPool(url, 1);
  try {
    await insertContacts(pool, SENDS, name);
    const { id, stepIds } = await insertSequence(pool, { name: "Tracked", steps: 1 });
    await pool.query(
      `INSERT INTO "Enrollment" ("id", "contactId", "sequenceId", "status", "exitReason", "source", "updatedAt")
       SELECT gen_random_uuid()::text, c."id", $1, 'completed', 'completed', 'manual', now() FROM "Contact" c`,
      [id],
    );
    await pool.query(
      `INSERT INTO "StepSend" ("id", "enrollmentId", "stepId", "status", "sentAt", "messageId")
       SELECT gen_random_uuid()::text, e."id", $1, 'sent', now() - interval '1 hour', gen_random_uuid()::text FROM "Enrollment" e`,
      [stepIds[0]],
    );
    await pool.query(`INSERT INTO "TrackedLink" ("sendId", "index", "url") SELECT "id", 0, 'https://example.com/p/' || "id" FROM "StepSend"`);
    await pool.query("VACUUM ANALYZE");
    const { rows } = await pool.query<Send>(
      `SELECT ss."id" AS "sendId", e."contactId", e."sequenceId", ss."stepId" FROM "StepSend" ss JOIN "Enrollment" e ON e."id" = ss."enrollmentId" ORDER BY ss."id"`,
    );
    return { url, sends: rows };
  } finally {
    await pool.end();
  }
}

function request(path: string, n: number) {
  return new Request(`http://localhost:3000${path}`, { headers: { "user-agent": BROWSER, "x-forwarded-for": `10.1.${Math.floor(n / 250)}.${n % 250}` } });
}

/** Runs `calls` CONCURRENCY at a time (all of a round at once), returns each call's latency. */
async function inRounds<T>(calls: (() => Promise<T>)[], check: (result: T, n: number) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const batch = calls.slice(round * CONCURRENCY, (round + 1) * CONCURRENCY);
    const results = await Promise.all(batch.map((call) => timed(call)));
    for (const [i, { ms, result }] of results.entries()) {
      await check(result, round * CONCURRENCY + i);
      latencies.push(ms);
    }
  }
  return latencies;
}

async function runProduct(cluster: BenchCluster, kind: "click" | "open") {
  const name = `tracking_${kind}_p`;
  const { url, sends } = await prepare(cluster, name);
  const db = await useAppDatabase(url);
  try {
    const calls = sends.map((s, n) =>
      kind === "click"
        ? () => {
            const token = createClickToken({ sendId: s.sendId, index: 0 });
            return click(request(`/r/${token}`, n), { params: Promise.resolve({ token }) });
          }
        : () => {
            const token = createOpenToken(s.sendId);
            return open(request(`/o/${token}`, n), { params: Promise.resolve({ token }) });
          },
    );
    const latencies = await inRounds(calls, async (response, n) => {
      const expected = kind === "click" ? 302 : 200;
      if (response.status !== expected) throw new Error(`${kind} answered ${response.status}`);
      if (kind === "click" && response.headers.get("location") !== `https://example.com/p/${sends[n].sendId}`) throw new Error("click redirected elsewhere");
    });
    const [{ events, unique }] = await db.$queryRaw<{ events: number; unique: number }[]>`
      SELECT (SELECT count(*)::int FROM "TrackingEvent" WHERE NOT "machine") AS "events", (SELECT count(*)::int FROM "SendEngagement") AS "unique"`;
    if (events !== SENDS || unique !== SENDS) throw new Error(`${kind}: ${events} events and ${unique} unique rows recorded, ${SENDS} expected`);
    return latencies;
  } finally {
    await releaseAppDatabase();
    await cluster.dropDatabase(name);
  }
}

async function runBaseline(cluster: BenchCluster, kind: "click" | "open") {
  const name = `tracking_${kind}_b`;
  const { url, sends } = await prepare(cluster, name);
  const pool = rawPool(url, 10);
  try {
    const calls = sends.map(
      (s) => () =>
        pool.query(
          `INSERT INTO "TrackingEvent" ("type", "sendId", "contactId", "sequenceId", "stepId", "linkIndex", "machine", "userAgent") VALUES ($1::"TrackingEventType", $2, $3, $4, $5, $6, false, $7)`,
          [kind, s.sendId, s.contactId, s.sequenceId, s.stepId, kind === "click" ? 0 : null, BROWSER],
        ),
    );
    return await inRounds(calls, async () => {});
  } finally {
    await pool.end();
    await cluster.dropDatabase(name);
  }
}

export async function benchTracking(cluster: BenchCluster, log: (line: string) => void): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const kind of ["click", "open"] as const) {
    const product = await runProduct(cluster, kind);
    const baseline = await runBaseline(cluster, kind);
    const stats = (xs: number[]) => ({ p50_ms: median(xs), p95_ms: percentile(xs, 95), max_ms: Math.max(...xs) });
    const ratio = percentile(product, 95) / percentile(baseline, 95);
    log(`[tracking] ${kind}: p50 ${median(product).toFixed(1)} ms, p95 ${percentile(product, 95).toFixed(1)} ms (raw insert p95 ${percentile(baseline, 95).toFixed(1)} ms)`);
    results.push({
      name: `tracking_${kind}`,
      unit: `ms per ${kind === "click" ? "GET /r/<token>" : "GET /o/<token>"}, ${CONCURRENCY} concurrent, ${SENDS} calls`,
      product: stats(product),
      baseline: stats(baseline),
      ratio,
      target: `p95 <= ${RATIO_TARGET}x the raw insert's`,
      pass: ratio <= RATIO_TARGET,
      notes: { concurrency: CONCURRENCY, pool: 10, baseline: "one raw INSERT of the event row per request, same concurrency and pool" },
    });
  }
  return results;
}
