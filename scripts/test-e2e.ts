/**
 * Runs the Playwright suite against the real app on a throwaway embedded
 * PostgreSQL (or TEST_DATABASE_URL). Extra arguments go to Playwright.
 *   npm run test:e2e [-- tests/e2e/auth.spec.ts]
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { freePort } from "../lib/db/embedded-postgres";
import { throwawayDatabase } from "./lib/database";

type E2eOptions = {
  /** A throwaway database the caller started (scripts/test-all.ts, beside the build); stopped here. */
  database?: { url: string; stop: () => Promise<void> };
  /** Each line of Playwright's output starts with this: it runs beside vitest (scripts/test-all.ts), whose lines it would cut into. */
  linePrefix?: string;
};

export async function runE2e(args: string[] = [], options: E2eOptions = {}): Promise<number> {
  const database =
    options.database ?? (process.env.TEST_DATABASE_URL ? { url: process.env.TEST_DATABASE_URL, stop: async () => {} } : await throwawayDatabase("e2e"));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "stepwise-e2e-data-"));
  fs.mkdirSync(".reports/auth", { recursive: true });
  try {
    const env = {
      ...process.env,
      DATABASE_URL: database.url,
      E2E_DATA_DIR: dataDir,
      E2E_PORT: String(await freePort()),
      E2E_EXECUTOR_PORT: String(await freePort()),
      E2E_CONTROL_PORT: String(await freePort()),
      // The executor's clock control answers only with this key.
      E2E_CONTROL_KEY: randomBytes(24).toString("hex"),
    };
    const cli = path.resolve("node_modules", "@playwright", "test", "cli.js");
    const prefix = options.linePrefix;
    const child = spawn(process.execPath, [cli, "test", ...args], { env, stdio: prefix ? ["ignore", "pipe", "pipe"] : "inherit" });
    if (prefix) {
      for (const [from, to] of [[child.stdout!, process.stdout], [child.stderr!, process.stderr]] as const) {
        readline.createInterface({ input: from, crlfDelay: Infinity }).on("line", (line) => to.write(`${prefix}${line}\n`));
      }
    }
    return await new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? 1)));
  } finally {
    await database.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runE2e(process.argv.slice(2)).then((code) => process.exit(code));
}
