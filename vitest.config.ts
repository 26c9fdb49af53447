import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

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
      { resolve, test: { name: "unit", include: ["tests/unit/**/*.test.ts", "packages/*/test/**/*.test.ts"], environment: "node" } },
      {
        resolve,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts", "tests/inngest/**/*.test.ts", "tests/conformance/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/support/global-setup.ts"],
          // One database for the project: files run one at a time so that
          // resetting tables in one file never races another.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve,
        test: {
          name: "fault",
          include: ["tests/fault/**/*.test.ts"],
          environment: "node",
          // Its own throwaway database (the global setup runs per project),
          // and after the other projects: the race tests need the CPU.
          globalSetup: ["tests/support/global-setup.ts"],
          sequence: { groupOrder: 1 },
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
          sequence: { groupOrder: 2 },
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
