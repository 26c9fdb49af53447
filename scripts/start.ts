/**
 * Runs Stepwise on one machine with no set-up:
 *   npm start        production build + `next start`
 *   npm run dev      `next dev`
 *
 * 1. Database: DATABASE_URL, or an embedded PostgreSQL in .data/postgres.
 * 2. Migrations (`prisma migrate deploy`), the first admin and, on the
 *    embedded database, demo data.
 * 3. Inngest: INNGEST_EVENT_KEY (Inngest Cloud / self-hosted) as configured;
 *    else the Inngest dev server if one answers on :8288; else the repo's
 *    local executor (offline development), which says so in the log.
 * 4. Next.js, stopped together with everything above on Ctrl-C.
 *
 * Environment: see README.md ("Configuration").
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { migrateDeploy } from "../lib/db/migrate";
import { createPrismaClient } from "../lib/db/prisma";
import { LocalExecutor } from "../inngest/local-executor";
import { seedAdmin, seedDemo, DEMO_PASSWORD } from "../prisma/seed";
import { appDatabase } from "./lib/database";
import { OffsetClock, startExecutorControl } from "./lib/executor-control";
import { secretFromEnvOrFile } from "./lib/secrets";

const log = (line: string) => console.log(line);
const dev = process.argv.includes("--dev");
const skipBuild = process.argv.includes("--no-build");
const port = Number(process.env.PORT ?? 3000);
const dataDir = path.resolve(process.env.STEPWISE_DATA_DIR ?? ".data");
const appUrl = process.env.APP_URL ?? `http://localhost:${port}`;

const cleanups: (() => Promise<void>)[] = [];
let shuttingDown = false;

async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  for (const cleanup of cleanups.reverse()) await cleanup().catch((e) => console.error(e));
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

async function reachable(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return res.status < 500;
  } catch {
    return false;
  }
}

async function waitFor(url: string, child: ChildProcess, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Next.js exited with ${child.exitCode} before it was ready`);
    if (await reachable(url)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(cmd, args, { env, stdio: "inherit" });
}

async function main() {
  fs.mkdirSync(dataDir, { recursive: true });
  process.env.STEPWISE_DATA_DIR = dataDir;

  const database = await appDatabase(path.join(dataDir, "postgres"));
  cleanups.push(database.stop);
  await migrateDeploy(database.url);
  log("[db] migrations applied");

  const db = createPrismaClient(database.url, { poolSize: 2 });
  const demo = database.embedded || process.env.STEPWISE_DEMO === "1";
  const adminEmail = process.env.STEPWISE_ADMIN_EMAIL ?? (demo ? "admin@stepwise.local" : undefined);
  const adminPassword = process.env.STEPWISE_ADMIN_PASSWORD ?? (demo ? DEMO_PASSWORD : undefined);
  if (adminEmail && adminPassword) await seedAdmin(db, adminEmail, adminPassword);
  else log("[start] STEPWISE_ADMIN_EMAIL / STEPWISE_ADMIN_PASSWORD not set: no admin created");
  if (demo) await seedDemo(db);
  await db.$disconnect();

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    AUTH_SECRET: secretFromEnvOrFile("AUTH_SECRET", dataDir, log),
    STEPWISE_SIGNING_SECRET: secretFromEnvOrFile("STEPWISE_SIGNING_SECRET", dataDir, log),
    AUTH_TRUST_HOST: process.env.AUTH_TRUST_HOST ?? "true",
    APP_URL: appUrl,
    PORT: String(port),
  };

  let executor: LocalExecutor | undefined;
  if (process.env.INNGEST_EVENT_KEY) {
    log("[inngest] using the Inngest server configured by INNGEST_EVENT_KEY / INNGEST_BASE_URL");
  } else if (await reachable("http://127.0.0.1:8288/")) {
    env.INNGEST_DEV = "1";
    env.INNGEST_BASE_URL = "http://127.0.0.1:8288";
    log(`[inngest] Inngest dev server found on :8288; point it at ${appUrl}/api/inngest`);
  } else {
    const executorPort = Number(process.env.STEPWISE_EXECUTOR_PORT ?? 8289);
    const controlPort = Number(process.env.STEPWISE_E2E_CONTROL_PORT ?? 0);
    const clock = new OffsetClock();
    const verbose = process.env.STEPWISE_EXECUTOR_LOG === "verbose";
    executor = new LocalExecutor({
      serveUrl: `${appUrl}/api/inngest`,
      clock,
      log: (m) => (verbose || !/calling|event inngest\//.test(m) ? log(`[executor] ${m}`) : undefined),
    });
    const server = await executor.listen(executorPort);
    const control = controlPort ? startExecutorControl(controlPort, executor, clock) : undefined;
    if (control) log(`[executor] test clock control on 127.0.0.1:${controlPort}`);
    cleanups.push(async () => {
      await executor?.stop();
      await server.close();
      await control?.close();
    });
    env.INNGEST_DEV = "1";
    env.INNGEST_BASE_URL = server.url;
    log(`[inngest] no Inngest dev server on :8288: running the local executor (offline mode) on ${server.url}`);
  }

  const next = path.resolve("node_modules", "next", "dist", "bin", "next");
  if (!dev && !skipBuild) {
    log("[start] building (npm start --no-build skips this)");
    const build = run(process.execPath, [next, "build"], { ...env, NODE_ENV: "production" });
    const code = await new Promise<number>((resolve) => build.on("close", (c) => resolve(c ?? 1)));
    if (code !== 0) throw new Error(`next build failed (${code})`);
  }
  // The client-address hook resolves X-Forwarded-For from the socket (and TRUSTED_PROXY_HOPS) before Next sees a request.
  const clientAddressHook = pathToFileURL(path.resolve("lib", "security", "client-address-hook.mjs")).href;
  const server = run(process.execPath, ["--import", clientAddressHook, next, dev ? "dev" : "start", "-p", String(port)], {
    ...env,
    NODE_ENV: dev ? "development" : "production",
  });
  cleanups.push(async () => {
    server.kill("SIGTERM");
  });
  server.on("exit", (code) => void shutdown(code ?? 0));

  await waitFor(`${appUrl}/api/inngest`, server);
  if (executor) {
    const functions = await executor.sync();
    executor.start();
    log(`[executor] synced ${functions.length} functions`);
  }
  log(`\nStepwise is running at ${appUrl}`);
  if (demo) log(`Sign in as ${adminEmail} / ${adminPassword} (also marketer@stepwise.local and viewer@stepwise.local)\n`);
}

main().catch(async (error) => {
  console.error(`\n[start] ${error instanceof Error ? error.message : error}`);
  await shutdown(1);
});
