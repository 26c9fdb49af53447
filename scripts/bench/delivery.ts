/**
 * 3. Delivery: 1,000 enrollments (one bulk enrollment) in a 3-step sequence
 * run by the local Inngest executor, in-process through the app's real
 * serve() route (app/api/inngest/route.ts) with a manual clock advanced over
 * the delays, into the mail catcher: sends per second. Baseline: 3,000
 * direct CatcherTransport.deliver calls at the same concurrency and pool
 * size. Also measured in the same run, for the ">= 2x" target: the same
 * enrollments with a run each (the engine before cohort runs, and still
 * what an enrollment made alone gets).
 */
import { LocalExecutor, ManualClock } from "@stepwise/inngest-local";
import { setClock } from "../../lib/clock";
import { mailConfig } from "../../lib/email/config";
import { renderStepMessage } from "../../lib/email/render";
import { setTransport } from "../../lib/email/transports";
import { CatcherTransport } from "../../lib/email/transports/catcher";
import type { OutgoingMessage } from "../../lib/email/transports/types";
import { setEventSender } from "../../lib/events/publish";
import { BULK_TRANSACTION_TIMEOUT_MS, enrollMany, enrollPairs } from "../../lib/sequences/enroll-many";
import { releaseAppDatabase, useAppDatabase } from "./lib/app";
import { type BenchCluster, rawPool } from "./lib/database";
import { insertContacts, insertSequence } from "./lib/data";
import type { BenchResult } from "./lib/report";
import { timed } from "./lib/stats";
import { profiled } from "./lib/profile";
import { engineFloor } from "./lib/engine-floor";

const ENROLLMENTS = Number(process.env.BENCH_DELIVERY_ENROLLMENTS ?? 1_000);
const STEPS = 3;
const SENDS = ENROLLMENTS * STEPS;
/**
 * Parallel requests from the executor to the app (its default is 4), and
 * the app's pool (its default, 10). The run is CPU-bound on this machine:
 * 8, 16, 32 or 64 requests with pools of 10 to 40 all gave the same rate.
 * BENCH_EXECUTOR_CONCURRENCY / BENCH_POOL_SIZE / BENCH_DELIVERY_ENROLLMENTS
 * override them for experiments.
 */
const EXECUTOR_CONCURRENCY = Number(process.env.BENCH_EXECUTOR_CONCURRENCY ?? 16);
const POOL_SIZE = Number(process.env.BENCH_POOL_SIZE ?? 10);
const DAY = 86_400_000;
/** BENCH_CHECKPOINTING=0: the SDK's classic one-step-per-request mode, for comparison. */
const CHECKPOINTING = process.env.BENCH_CHECKPOINTING !== "0";

/**
 * This process's CPU time (user + system) since `start`, in ms: what a send
 * costs the app, less sensitive than wall time to other work on the machine.
 */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

async function prepare(cluster: BenchCluster, name: string) {
  const url = await cluster.createDatabase(name);
  const pool = rawPool(url, 1);
  try {
    await insertContacts(pool, ENROLLMENTS, name);
    const sequence = await insertSequence(pool, { name: "Onboarding", steps: STEPS, stepDelay: { amount: 1, unit: "days" } });
    await pool.query("VACUUM ANALYZE");
    const { rows } = await pool.query<{ id: string }>(`SELECT "id" FROM "Contact"`);
    return { url, sequenceId: sequence.id, contactIds: rows.map((r) => r.id) };
  } finally {
    await pool.end();
  }
}

/**
 * "cohorts": the product as it is, a bulk enrollment's runs shared by up to
 * 100 members. "single": the same enrollments each started on a run of its
 * own (their start events published one by one, as before cohorts).
 */
type Runs = "cohorts" | "single";

async function enroll(db: Awaited<ReturnType<typeof useAppDatabase>>, executor: LocalExecutor, runs: Runs, pairs: { contactId: string; sequenceId: string }[]) {
  if (runs === "cohorts") {
    const results = await enrollMany(db, { pairs, source: "manual" });
    if (results.some((r) => r.outcome !== "enrolled")) throw new Error("delivery: not every contact was enrolled");
    return;
  }
  const { started } = await db.$transaction((tx) => enrollPairs(tx, pairs, "manual"), { timeout: BULK_TRANSACTION_TIMEOUT_MS });
  if (started.length !== pairs.length) throw new Error("delivery: not every contact was enrolled");
  await executor.send(started);
}

async function runProduct(cluster: BenchCluster, name: string, log: (line: string) => void, runs: Runs) {
  const { url, sequenceId, contactIds } = await prepare(cluster, name);
  const db = await useAppDatabase(url, POOL_SIZE);
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 9, 0, 0));
  setClock(clock);
  setTransport(new CatcherTransport(db));
  const route = await import("../../app/api/inngest/route");
  const executor = new LocalExecutor({
    handlers: route,
    clock,
    concurrency: EXECUTOR_CONCURRENCY,
    serveUrl: "http://localhost:3000/api/inngest",
    checkpointing: CHECKPOINTING,
  });
  // As in production: cloud mode (signed requests), the SDK checkpointing its steps to the executor's API.
  const api = await executor.listen(0);
  const { inngest } = await import("../../inngest/client");
  inngest.setEnvVars({ ...process.env, ...executor.appEnv(api.url), INNGEST_DEV: undefined });
  try {
    await executor.sync();
    setEventSender(async (events) => {
      await executor.send(events);
    });
    await enroll(db, executor, runs, contactIds.map((contactId) => ({ contactId, sequenceId })));

    const cpu = process.cpuUsage();
    const { ms } = await profiled(`delivery-${runs}`, log, () => timed(() => executor.advance((STEPS + 1) * DAY)));
    const cpuMs = cpuMsSince(cpu);
    const [{ sent, caught, completed }] = await db.$queryRaw<{ sent: number; caught: number; completed: number }[]>`
      SELECT (SELECT count(*)::int FROM "StepSend" WHERE "status" = 'sent') AS sent,
             (SELECT count(*)::int FROM "CaughtMessage") AS caught,
             (SELECT count(*)::int FROM "Enrollment" WHERE "status" = 'completed') AS completed`;
    if (sent !== SENDS || caught !== SENDS || completed !== ENROLLMENTS) {
      throw new Error(`delivery incomplete: ${sent} sends, ${caught} caught, ${completed} completed`);
    }
    const started = [...executor.runs({ functionId: "stepwise-run-enrollment" }), ...executor.runs({ functionId: "stepwise-run-enrollment-cohort" })];
    return { ms, cpuMs, runs: started.length, failedRuns: started.filter((r) => r.status !== "completed").length, ...executor.stats };
  } finally {
    await executor.stop();
    await api.close();
    setEventSender(null);
    setTransport(null);
    setClock(null);
    await releaseAppDatabase();
    await cluster.dropDatabase(name);
  }
}

/** Messages like the ones the run sends (rendered the same way), one per (enrollment, step). */
function messages(contactIds: string[]): OutgoingMessage[] {
  const config = mailConfig();
  return contactIds.flatMap((contactId, i) =>
    Array.from({ length: STEPS }, (_, step) => {
      const rendered = renderStepMessage({
        subject: `Step ${step + 1} for {{firstName}}`,
        body: `Hello {{firstName}}, this is step ${step + 1}.`,
        contact: { email: `bench-${i}@example.com`, firstName: "Ada", lastName: "Lovelace", attributes: {} },
        unsubscribeUrl: `${config.appUrl}/unsubscribe/token-${i}`,
        oneClickUrl: `${config.appUrl}/api/unsubscribe/token-${i}`,
        postalAddress: config.postalAddress,
        senderName: config.senderName,
      });
      const key = `baseline-${i}:${step}`;
      return { from: config.from, to: `bench-${i}@example.com`, ...rendered, messageId: `${key}@bench`, idempotencyKey: key, refs: { contactId } };
    }),
  );
}

async function runBaseline(cluster: BenchCluster, name: string) {
  const { url, contactIds } = await prepare(cluster, name);
  const db = await useAppDatabase(url, POOL_SIZE);
  try {
    const transport = new CatcherTransport(db);
    const queue = messages(contactIds);
    await db.$queryRaw`SELECT 1`;
    const worker = async () => {
      for (let message = queue.pop(); message; message = queue.pop()) await transport.deliver(message);
    };
    const cpu = process.cpuUsage();
    const { ms } = await timed(() => Promise.all(Array.from({ length: EXECUTOR_CONCURRENCY }, worker)));
    const cpuMs = cpuMsSince(cpu);
    const caught = await db.caughtMessage.count();
    if (caught !== SENDS) throw new Error(`baseline caught ${caught} messages`);
    return { ms, cpuMs };
  } finally {
    await releaseAppDatabase();
    await cluster.dropDatabase(name);
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Issue 16: ">= 2x today's sends per second (ratio to the raw transport
 * <= 4x)". "Today" was 7.3x the raw transport; rates on this machine swing
 * with the raw transport's own (224 to 507/s between runs), so twice that
 * rate is measured against it: 7.3 / 2 = 3.65x, inside the 4x bound.
 */
const MAX_RATIO = 3.65;

export async function benchDelivery(cluster: BenchCluster, log: (line: string) => void): Promise<BenchResult> {
  await runBaseline(cluster, "delivery_warm_b"); // warms Prisma and the JIT for both
  // A baseline on each side of the long product run evens out drift in the machine's load.
  const before = await runBaseline(cluster, "delivery_b1");
  const product = await runProduct(cluster, "delivery_p", log, "cohorts");
  const after = await runBaseline(cluster, "delivery_b2");
  const single = await runProduct(cluster, "delivery_s", log, "single");
  // Not a target: how much of a send is the engine's (SDK + executor) rather than ours.
  const floor = await engineFloor({ runs: ENROLLMENTS, steps: STEPS, concurrency: EXECUTOR_CONCURRENCY, checkpointing: CHECKPOINTING });
  const baseline = { ms: (before.ms + after.ms) / 2 };
  const productRate = SENDS / (product.ms / 1000);
  const baselineRate = SENDS / (baseline.ms / 1000);
  const singleRate = SENDS / (single.ms / 1000);
  log(
    `[delivery] product ${product.ms.toFixed(0)} ms (${productRate.toFixed(0)}/s), a run per enrollment ${single.ms.toFixed(0)} ms (${singleRate.toFixed(0)}/s), baseline ${before.ms.toFixed(0)} and ${after.ms.toFixed(0)} ms (${baselineRate.toFixed(0)}/s), engine floor ${floor.ms.toFixed(0)} ms (${(SENDS / (floor.ms / 1000)).toFixed(0)}/s)`,
  );
  const ratio = baselineRate / productRate;
  const speedup = productRate / singleRate;
  return {
    name: "delivery",
    unit: "sends per second",
    product: { sends_per_s: productRate, ms: product.ms },
    baseline: { sends_per_s: baselineRate, ms: baseline.ms },
    ratio,
    target: `<= ${MAX_RATIO}x slower`,
    pass: ratio <= MAX_RATIO && product.failedRuns === 0 && single.failedRuns === 0,
    notes: {
      enrollments: ENROLLMENTS,
      steps: STEPS,
      executor_concurrency: EXECUTOR_CONCURRENCY,
      pool_size: POOL_SIZE,
      runs: product.runs,
      failed_runs: product.failedRuns,
      // The same enrollments with a run each (the engine before cohort runs), timed in this run.
      run_per_enrollment: { sends_per_s: round2(singleRate), speedup: round2(speedup), cpu_ms_per_send: round2(single.cpuMs / SENDS), requests_per_send: round2(single.requests / SENDS) },
      // HTTP exchanges per send: the executor's requests to the serve route and the SDK's checkpoints.
      requests_per_send: round2(product.requests / SENDS),
      checkpoints_per_send: round2(product.checkpoints / SENDS),
      baseline_runs_ms: [Math.round(before.ms), Math.round(after.ms)],
      // Node's CPU per send (PostgreSQL's is not counted): the product's and the baseline's.
      cpu_ms_per_send: { product: round2(product.cpuMs / SENDS), baseline: round2((before.cpuMs + after.cpuMs) / 2 / SENDS) },
      // The same runs with steps that do nothing (scripts/bench/lib/engine-floor.ts): the SDK's and the executor's share of a send.
      engine_floor: { sends_per_s: round2(SENDS / (floor.ms / 1000)), cpu_ms_per_send: round2(floor.cpuMs / SENDS) },
    },
  };
}
