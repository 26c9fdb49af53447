/**
 * 5. Opt-out: the one-click unsubscribe POST (RFC 8058), called in-process
 * on the app's route handler (app/api/unsubscribe/[token]/route.ts) with a
 * real Request, timed until it answers: by then the exit has committed and
 * the cancel event has been handed to the event sender. Each call is a
 * different contact with two live enrollments, from a different address
 * (the per-IP limit is not what is measured). Baseline: the same writes as
 * one raw statement (contact, consent record, two exits and their events).
 */
import { POST } from "../../app/api/unsubscribe/[token]/route";
import { createUnsubscribeToken } from "../../lib/email/unsubscribe-token";
import { setEventSender, type OutgoingEvent } from "../../lib/events/publish";
import { releaseAppDatabase, useAppDatabase } from "./lib/app";
import { type BenchCluster, rawPool } from "./lib/database";
import { insertContacts, insertSequence } from "./lib/data";
import type { BenchResult } from "./lib/report";
import { median, percentile, timed } from "./lib/stats";

const CALLS = 200;
const WARMUP = 10;
const P95_TARGET_MS = 50;

async function prepare(cluster: BenchCluster, name: string) {
  const url = await cluster.createDatabase(name);
  const pool = rawPool(url, 1);
  try {
    await insertContacts(pool, CALLS + WARMUP, name);
    for (const sequenceName of ["Onboarding", "Newsletter"]) {
      const { id } = await insertSequence(pool, { name: sequenceName, steps: 3 });
      await pool.query(
        `INSERT INTO "Enrollment" ("id", "contactId", "sequenceId", "source", "nextStepDueAt", "updatedAt")
         SELECT gen_random_uuid()::text, c."id", $1, 'manual', now(), now() FROM "Contact" c`,
        [id],
      );
    }
    await pool.query("VACUUM ANALYZE");
    const { rows } = await pool.query<{ id: string }>(`SELECT "id" FROM "Contact" ORDER BY "email"`);
    return { url, contactIds: rows.map((r) => r.id) };
  } finally {
    await pool.end();
  }
}

function oneClick(contactId: string, n: number) {
  const token = createUnsubscribeToken({ contactId, messageRef: `bench-${n}` });
  const request = new Request(`http://localhost:3000/api/unsubscribe/${token}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": `10.0.${Math.floor(n / 250)}.${n % 250}` },
    body: "List-Unsubscribe=One-Click",
  });
  return () => POST(request, { params: Promise.resolve({ token }) });
}

async function runProduct(cluster: BenchCluster) {
  const { url, contactIds } = await prepare(cluster, "optout_p");
  const db = await useAppDatabase(url);
  const published: OutgoingEvent[] = [];
  setEventSender(async (events) => {
    published.push(...events);
  });
  try {
    const latencies: number[] = [];
    for (const [n, contactId] of contactIds.entries()) {
      const { ms, result } = await timed(oneClick(contactId, n));
      if (result.status !== 200) throw new Error(`one-click answered ${result.status}: ${await result.text()}`);
      if (n >= WARMUP) latencies.push(ms);
    }
    const [{ optedOut, live }] = await db.$queryRaw<{ optedOut: number; live: number }[]>`
      SELECT (SELECT count(*)::int FROM "Enrollment" WHERE "status" = 'opted_out') AS "optedOut",
             (SELECT count(*)::int FROM "Enrollment" WHERE "status" IN ('active', 'paused')) AS "live"`;
    const cancels = published.filter((e) => e.name === "contact.opted_out").length;
    if (live !== 0 || optedOut !== 2 * contactIds.length || cancels !== contactIds.length) {
      throw new Error(`opt-out incomplete: ${live} live enrollments left, ${optedOut} opted out, ${cancels} cancel events`);
    }
    return latencies;
  } finally {
    setEventSender(null);
    await releaseAppDatabase();
    await cluster.dropDatabase("optout_p");
  }
}

async function runBaseline(cluster: BenchCluster) {
  const { url, contactIds } = await prepare(cluster, "optout_b");
  const pool = rawPool(url, 1);
  try {
    const latencies: number[] = [];
    for (const [n, contactId] of contactIds.entries()) {
      const { ms } = await timed(() =>
        pool.query(
          `WITH c AS (UPDATE "Contact" SET "status" = 'unsubscribed', "unsubscribedAt" = now(), "updatedAt" = now() WHERE "id" = $1 RETURNING "id"),
                consent AS (INSERT INTO "ConsentEvent" ("contactId", "type", "source") SELECT "id", 'unsubscribed', 'one_click' FROM c),
                ended AS (UPDATE "Enrollment" SET "status" = 'opted_out', "exitReason" = 'opted_out', "exitedAt" = now(), "updatedAt" = now()
                          WHERE "contactId" = $1 AND "status" IN ('active', 'paused') RETURNING "id", "sequenceId")
           INSERT INTO "EnrollmentEvent" ("type", "contactId", "sequenceId", "enrollmentId", "reason") SELECT 'exited', $1, "sequenceId", "id", 'opted_out' FROM ended`,
          [contactId],
        ),
      );
      if (n >= WARMUP) latencies.push(ms);
    }
    return latencies;
  } finally {
    await pool.end();
    await cluster.dropDatabase("optout_b");
  }
}

export async function benchOptOut(cluster: BenchCluster, log: (line: string) => void): Promise<BenchResult> {
  const product = await runProduct(cluster);
  const baseline = await runBaseline(cluster);
  const stats = (xs: number[]) => ({ p50_ms: median(xs), p95_ms: percentile(xs, 95), max_ms: Math.max(...xs) });
  log(`[opt-out] p50 ${median(product).toFixed(1)} ms, p95 ${percentile(product, 95).toFixed(1)} ms (raw p95 ${percentile(baseline, 95).toFixed(1)} ms)`);
  const p95 = percentile(product, 95);
  return {
    name: "opt_out",
    unit: `ms per one-click POST, ${CALLS} calls`,
    product: stats(product),
    baseline: stats(baseline),
    ratio: p95 / percentile(baseline, 95),
    target: `p95 < ${P95_TARGET_MS} ms`,
    pass: p95 < P95_TARGET_MS,
    notes: { calls: CALLS, live_enrollments_per_contact: 2, baseline: "the same writes as one raw statement" },
  };
}
