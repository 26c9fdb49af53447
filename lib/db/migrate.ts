/**
 * Applies the committed migrations (`prisma migrate deploy`) to a database.
 * Used on app start and by the test setup, so both run the same SQL.
 */
import { spawn } from "node:child_process";
import path from "node:path";

const prismaCli = path.resolve("node_modules", "prisma", "build", "index.js");

/** Runs a Prisma CLI command against `databaseUrl`; resolves with its output. */
export function runPrisma(args: string[], databaseUrl: string, opts: { allowExit?: number[] } = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [prismaCli, ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const exit = code ?? 1;
      if (exit === 0 || opts.allowExit?.includes(exit)) resolve({ code: exit, output });
      else reject(new Error(`prisma ${args.join(" ")} exited with ${exit}:\n${output}`));
    });
  });
}

export async function migrateDeploy(databaseUrl: string): Promise<void> {
  await runPrisma(["migrate", "deploy"], databaseUrl);
}
