import os from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const cores = os.availableParallelism();

// Files of the parallel projects (integration, fault-parallel) run beside each other, one per worker.
const parallelWorkers = Number(process.env.STEPWISE_TEST_WORKERS) || Math.min(3, Math.max(2, cores));

/**
 * The fault suite's files that are no race: the authorization matrix and the
 * hostile-input properties call each action or route and compare the data
 * before and after, so the CPU beside them changes nothing they check. They
 * run in parallel (fault-parallel), the races and crashes alone (fault).
 */
const faultParallel = [
  "tests/fault/audit-trail.test.ts",
  "tests/fault/authorization-actions.test.ts",
  "tests/fault/authorization-routes.test.ts",
  "tests/fault/bad-input-actions.test.ts",
  "tests/fault/bad-input-bodies.test.ts",
  "tests/fault/bad-input-routes.test.ts",
  "tests/fault/data-fingerprint.test.ts",
  "tests/fault/team.test.ts",
  "tests/fault/tracking-routes.test.ts",
];

const root = fileURLToPath(new URL("./", import.meta.url));
const resolve = {
  alias: {
    "@/": root,
    "server-only": fileURLToPath(new URL("./tests/support/server-only.ts", import.meta.url)),
  },
};

export default defineConfig({
  resolve,
  test: {
    projects: [
      {
        resolve,
        // First and alone (timing assertions such as redos.test.ts's); vitest's default would leave one of two cores idle.
        test: { name: "unit", include: ["tests/unit/**/*.test.ts", "packages/*/test/**/*.test.ts"], environment: "node", maxWorkers: Math.max(2, cores - 1) },
      },
      {
        resolve,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts", "tests/inngest/**/*.test.ts", "tests/conformance/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/support/global-setup.ts"],
          // Files run in parallel, each worker on its own copy of the migrated
          // database (worker-database.ts), so resetting tables in one file
          // never races another. Serially most of the project's time was spent
          // waiting (on IMAP, SMTP, HTTP, timers): one worker per core, at most
          // 3; STEPWISE_TEST_WORKERS=1 runs the files one at a time as before.
          setupFiles: ["tests/support/worker-database.ts"],
          maxWorkers: parallelWorkers,
          sequence: { groupOrder: 1 },
          // Files share the cores now: CPU-bound runs (error-details, pacing-run) took
          // 30-35 s beside another worker on a loaded 2-core machine. A limit, not a check.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve,
        test: {
          name: "fault-parallel",
          include: faultParallel,
          environment: "node",
          globalSetup: ["tests/support/global-setup.ts"],
          // Beside the integration files (same group, so the same workers), each worker on its own copy of the database.
          setupFiles: ["tests/support/worker-database.ts"],
          maxWorkers: parallelWorkers,
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          hookTimeout: 120_000,
          server: { deps: { inline: ["next-auth"] } },
        },
      },
      {
        resolve,
        test: {
          name: "fault",
          include: ["tests/fault/**/*.test.ts"],
          exclude: faultParallel,
          environment: "node",
          // Its own database (global-setup.ts copies the migrated one per project),
          // and after the other projects: the race tests need the CPU. `npm test`
          // runs it in a vitest run of its own, after Playwright (scripts/test-all.ts).
          globalSetup: ["tests/support/global-setup.ts"],
          sequence: { groupOrder: 2 },
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // next-auth imports "next/server" without an extension, which only
          // a bundler resolves: inline it so the real Auth.js route can run.
          server: { deps: { inline: ["next-auth"] } },
        },
      },
      {
        resolve,
        test: {
          name: "startup",
          // `npm start` for real (scripts/start.ts): spawns PostgreSQL and Next.js.
          include: ["tests/startup/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/support/global-setup.ts"],
          // Last: it is CPU-heavy and the fault suite's races need the CPU.
          sequence: { groupOrder: 3 },
          // start-matrix.test.ts runs its tests concurrently (describe.concurrent), all at once.
          maxConcurrency: 10,
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
