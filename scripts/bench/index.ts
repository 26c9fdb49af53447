/**
 * `npm run bench` (all) or `npm run bench -- --only=bulk,stats`; options in
 * lib/options.ts (`--scale=1m`, `--data-dir=<dir>`).
 * Prints one JSON line per benchmark, then a table. See docs/benchmarks.md.
 */
import os from "node:os";
import { benchAdminQueries } from "./admin-queries";
import { benchAppMemory } from "./app-memory";
import { benchBulkEnroll } from "./bulk-enroll";
import { benchContention } from "./contention";
import { benchDelivery } from "./delivery";
import { benchImport } from "./import";
import { benchOptOut } from "./opt-out";
import { benchReplan } from "./replan";
import { benchPublish } from "./publish";
import { benchTracking } from "./tracking";
import { benchSmtpDelivery } from "./smtp-delivery";
import { benchReplyDetection, DovecotMissing } from "./reply-detection";
import { startBenchCluster, type BenchCluster } from "./lib/database";
import { sampleMemory } from "./lib/memory";
import { benchOptions } from "./lib/options";
import { formatTable, printJsonLine, type BenchResult } from "./lib/report";

type Bench = (cluster: BenchCluster, log: (line: string) => void) => Promise<BenchResult | BenchResult[]>;

// In this order: the memory of benchmarks 1 and 4 is measured before the
// delivery run has grown the process (the local executor keeps every run).
const BENCHES: Record<string, Bench> = {
  bulk: benchBulkEnroll,
  stats: benchAdminQueries,
  contention: benchContention,
  delivery: benchDelivery,
  optout: benchOptOut,
  replan: benchReplan,
  publish: benchPublish,
  tracking: benchTracking,
  smtp: benchSmtpDelivery,
  import: benchImport,
  replies: benchReplyDetection,
  // Last: it builds and starts the whole app (several minutes).
  appmemory: benchAppMemory,
};

const log = (line: string) => process.stderr.write(`${line}\n`);
const load = () => os.loadavg().map((n) => n.toFixed(2)).join(" ");

const selected = benchOptions.only ?? Object.keys(BENCHES);
const unknown = selected.filter((name) => !BENCHES[name]);
if (unknown.length) {
  log(`unknown benchmark(s): ${unknown.join(", ")}; known: ${Object.keys(BENCHES).join(", ")}`);
  process.exit(2);
}

log(`[bench] ${os.cpus().length} cpus, load ${load()}, scale ${benchOptions.scale.name}`);
const cluster = await startBenchCluster(log, benchOptions.dataDir);
// Interrupted: stop PostgreSQL (and remove its files) before leaving.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`[bench] ${signal}: stopping PostgreSQL`);
    void cluster.stop().finally(() => process.exit(130));
  });
}
const results: BenchResult[] = [];
const report = (result: BenchResult) => {
  printJsonLine(result);
  results.push(result);
};
/** 6. Peak memory: RSS of this process (the one running the product path) during these. */
const MEMORY_WATCHED = ["bulk", "stats"];
const MEMORY_LIMIT_MB = 600;
const peaks: Record<string, number> = {};
const restingMb = process.memoryUsage().rss / 2 ** 20;
try {
  for (const name of selected) {
    log(`[bench] ${name} (load ${load()})`);
    const memory = MEMORY_WATCHED.includes(name) ? sampleMemory(50) : null;
    const out = await BENCHES[name](cluster, log).catch((error: unknown) => {
      if (!(error instanceof DovecotMissing)) throw error;
      // Cannot run here: a failed result saying why, never a silent pass.
      log(`[bench] ${name} SKIPPED: ${error.message}`);
      return { name, unit: "-", product: {}, baseline: null, ratio: null, target: "dovecot installed", pass: false, notes: { skipped: error.message } } satisfies BenchResult;
    });
    if (memory) peaks[`${name}_peak_rss_mb`] = memory.stop();
    for (const result of Array.isArray(out) ? out : [out]) report(result);
  }
  if (Object.keys(peaks).length > 0) {
    const peak = Math.max(...Object.values(peaks));
    report({
      name: "peak_memory",
      unit: "MB resident (RSS of the process running the product path, sampled every 50 ms)",
      product: peaks,
      baseline: { resting_rss_mb: restingMb },
      ratio: null,
      target: `< ${MEMORY_LIMIT_MB} MB`,
      pass: peak < MEMORY_LIMIT_MB,
    });
  }
} finally {
  await cluster.stop();
}
process.stdout.write(`\n${formatTable(results)}\n\nload average (1/5/15 min) at the end: ${load()}\n`);
process.exit(results.every((r) => r.pass) ? 0 : 1);
