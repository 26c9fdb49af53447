/**
 * Every test: schema drift check, one production build (used by the start-up
 * matrix and by Playwright, so it is built once), vitest (unit + integration +
 * Inngest runs on a throwaway PostgreSQL + the start-up matrix + the fault
 * suite) and Playwright against the real app, beside vitest's parallel
 * projects (see main for the order and why). Ends with
 * one line "N passed, N failed, N skipped" built from the runners' JSON
 * reports, and exits non-zero if anything failed.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { migrateDeploy } from "../lib/db/migrate";
import { throwawayDatabase, type ScriptDatabase } from "./lib/database";
import { runE2e } from "./test-e2e";

type Counts = { passed: number; failed: number; skipped: number };

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const child = spawn(cmd, args, { stdio: "inherit", env });
  return new Promise((resolve) => child.on("close", (code) => resolve(code ?? 1)));
}

/** Runs a command with its output held back, then printed whole: it runs beside the build, whose output it would cut into. */
function runQuietly(cmd: string, args: string[]): Promise<number> {
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: process.env });
  const output: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => output.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => output.push(chunk));
  return new Promise((resolve) =>
    child.on("close", (code) => {
      process.stdout.write(Buffer.concat(output));
      resolve(code ?? 1);
    }),
  );
}

/**
 * vitest's throwaway cluster, migrated (tests/support/global-setup.ts copies
 * it per project). Undefined with TEST_DATABASE_URL, or if it cannot start:
 * then the global setup starts its own and reports why.
 */
async function preparedTestCluster(): Promise<ScriptDatabase | undefined> {
  if (process.env.TEST_DATABASE_URL) return undefined;
  let database: ScriptDatabase | undefined;
  try {
    database = await throwawayDatabase("test");
    await migrateDeploy(database.url);
    return database;
  } catch (error) {
    console.error(`[test] could not prepare the test database beside the build (${String(error)}); vitest starts its own`);
    await database?.stop().catch(() => {});
    return undefined;
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

function vitestCounts(report: unknown): Counts {
  const r = report as { numPassedTests?: number; numFailedTests?: number; numPendingTests?: number; numTodoTests?: number } | undefined;
  return { passed: r?.numPassedTests ?? 0, failed: r?.numFailedTests ?? 0, skipped: (r?.numPendingTests ?? 0) + (r?.numTodoTests ?? 0) };
}

function playwrightCounts(report: unknown): Counts {
  const s = (report as { stats?: { expected?: number; unexpected?: number; flaky?: number; skipped?: number } } | undefined)?.stats;
  return { passed: (s?.expected ?? 0) + (s?.flaky ?? 0), failed: s?.unexpected ?? 0, skipped: s?.skipped ?? 0 };
}

async function main() {
  fs.mkdirSync(".reports", { recursive: true });
  for (const f of fs.readdirSync(".reports").filter((f) => /^(vitest|playwright).*\.json$/.test(f))) fs.rmSync(path.join(".reports", f), { force: true });
  const tsx = path.resolve("node_modules", ".bin", "tsx");
  const skipE2e = process.argv.includes("--no-e2e");

  // Beside the build: most of `next build` is its TypeScript check, on one
  // core, so the drift check and the test databases' initdb and migrations
  // (which vitest and Playwright would otherwise wait for) take the other.
  const buildDone = run(process.execPath, [path.resolve("node_modules", "next", "dist", "bin", "next"), "build"]);
  const drift = await runQuietly(tsx, ["scripts/check-drift.ts"]);
  const testCluster = await preparedTestCluster();
  const e2eDatabase = skipE2e || process.env.TEST_DATABASE_URL ? undefined : await throwawayDatabase("e2e").catch(() => undefined);
  const build = await buildDone;
  if (build === 0) process.env.E2E_SKIP_BUILD = "1";

  // vitest in three runs, Playwright beside the middle one:
  // 1. unit, alone: its timing assertions (redos.test.ts) want the CPU;
  // 2. the parallel projects (integration, fault-parallel) and then the
  //    start-up matrix, while Playwright runs: one browser on one server keeps
  //    about one of the two cores busy (measured 1.0-1.25, mostly Chromium),
  //    so beside it vitest fills the rest instead of waiting; with its own
  //    database, data directory and ports it shares nothing with them;
  // 3. the fault suite's races and crashes, alone once Playwright is done.
  const vitestRuns: { report: string; code: number }[] = [];
  const vitest = async (projects: string[], report: string, { besidePlaywright = false } = {}) => {
    const bin = path.resolve("node_modules", ".bin", "vitest");
    // Beside Playwright, vitest yields the CPU (nice): the browser's steps wait
    // seconds at most (expect's timeout), vitest's tests a minute or two.
    const [cmd, first] = besidePlaywright ? ["nice", ["-n", "10", bin]] : [bin, []];
    const code = await run(cmd, [
      ...first,
      "run",
      ...projects.flatMap((name) => ["--project", name]),
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${report}`,
    ], testCluster ? { ...process.env, STEPWISE_TEST_CLUSTER_URL: testCluster.url } : process.env);
    vitestRuns.push({ report, code });
    return code;
  };
  let e2e = 0;
  try {
    await vitest(["unit"], ".reports/vitest-unit.json");
    // Without a build, Playwright's start builds: then it runs after vitest, as it always did.
    const e2eBeside = skipE2e || build !== 0 ? undefined : runE2e([], { database: e2eDatabase, linePrefix: "[e2e] " });
    await vitest(["integration", "fault-parallel"], ".reports/vitest-parallel.json", { besidePlaywright: !!e2eBeside });
    await vitest(["startup"], ".reports/vitest-startup.json", { besidePlaywright: !!e2eBeside });
    if (e2eBeside) {
      console.log("[test] waiting for Playwright before the fault suite's races");
      e2e = await e2eBeside;
    }
    await vitest(["fault"], ".reports/vitest-fault.json");
  } finally {
    await testCluster?.stop();
  }
  if (!skipE2e && build !== 0) e2e = await runE2e([], { database: e2eDatabase });

  const counts = [...vitestRuns.map((r) => vitestCounts(readJson(r.report))), playwrightCounts(readJson(".reports/playwright.json"))];
  const total = counts.reduce((a, c) => ({ passed: a.passed + c.passed, failed: a.failed + c.failed, skipped: a.skipped + c.skipped }), { passed: 0, failed: 0, skipped: 0 });
  // A runner that crashed before reporting counts as a failure even with no failed test.
  const vitestCodes = vitestRuns.map((r) => r.code);
  const vitestFailed = vitestCodes.some((code) => code !== 0);
  const crashed = [drift, build, ...vitestCodes, e2e].filter((code) => code !== 0).length;
  if (crashed && total.failed === 0) total.failed = crashed;

  console.log(`\nschema drift check: ${drift === 0 ? "ok" : "FAILED"}; next build: ${build === 0 ? "ok" : "FAILED"}; vitest exits ${vitestCodes.join(", ")}; playwright exit ${skipE2e ? "skipped" : e2e}`);
  console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  process.exit(drift === 0 && build === 0 && !vitestFailed && e2e === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  console.log("0 passed, 1 failed, 0 skipped");
  process.exit(1);
});
