/**
 * Runs Stepwise on one machine with no set-up:
 *   npm start        production build + `next start`
 *   npm run dev      `next dev`
 *
 * 1. Database: DATABASE_URL, or an embedded PostgreSQL in .data/postgres.
 * 2. Migrations (`prisma migrate deploy`), the first admin and, on the
 *    embedded database, demo data.
 * 3. Inngest: the dev server when the operator sets INNGEST_DEV; Inngest
 *    Cloud / self-hosted when INNGEST_EVENT_KEY / INNGEST_SIGNING_KEY are set;
 *    else the repo's local executor (offline development), with a signing
 *    key and an event key generated per start.
 * 4. Next.js, stopped together with everything above on Ctrl-C.
 *
 * Environment: see README.md ("Configuration").
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { migrateDeploy } from "../lib/db/migrate";
import { createPrismaClient } from "../lib/db/prisma";
import { LocalExecutor, generateEventKey, generateSigningKey } from "../inngest/local-executor";
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
  const inngest = chooseInngestServer();
  if (inngest === "dev-server") {
    // Only when the operator asked for it: the SDK's dev mode checks no signatures.
    log(`[inngest] INNGEST_DEV is set: using the Inngest dev server at ${devServerUrl()} (unsigned requests are accepted); point it at ${appUrl}/api/inngest`);
  } else if (inngest === "configured") {
    log("[inngest] using the Inngest server configured by INNGEST_EVENT_KEY / INNGEST_SIGNING_KEY / INNGEST_BASE_URL");
  } else {
    if (await reachable("http://127.0.0.1:8288/")) {
      log("[inngest] an Inngest dev server answers on :8288 but is NOT used; to use it, start with INNGEST_DEV=http://127.0.0.1:8288");
    }
    const executorPort = Number(process.env.STEPWISE_EXECUTOR_PORT ?? 8289);
    const controlPort = Number(process.env.STEPWISE_E2E_CONTROL_PORT ?? 0);
    const clock = new OffsetClock();
    const verbose = process.env.STEPWISE_EXECUTOR_LOG === "verbose";
    // Per start: the app serves /api/inngest in cloud mode and accepts only
    // requests signed with this key; events need this event key.
    const signingKey = generateSigningKey();
    const eventKey = generateEventKey();
    executor = new LocalExecutor({
      serveUrl: `${appUrl}/api/inngest`,
      clock,
      signingKey,
      eventKey,
      log: (m) => (verbose || !/calling|event "inngest\//.test(m) ? log(`[executor] ${m}`) : undefined),
    });
    const server = await executor.listen(executorPort);
    const controlKey = process.env.STEPWISE_E2E_CONTROL_KEY ?? "";
    if (controlPort && !controlKey) log("[executor] STEPWISE_E2E_CONTROL_PORT needs STEPWISE_E2E_CONTROL_KEY: no clock control");
    const control = controlPort && controlKey ? startExecutorControl(controlPort, executor, clock, controlKey) : undefined;
    await control?.listening;
    if (control) log(`[executor] test clock control on 127.0.0.1:${controlPort}`);
    cleanups.push(async () => {
      await executor?.stop();
      await server.close();
      await control?.close();
    });
    delete env.INNGEST_DEV;
    Object.assign(env, executor.appEnv(server.url));
    log(`[inngest] running the local executor (offline mode) on ${server.url}; requests to the app are signed`);
  }

  const next = path.resolve("node_modules", "next", "dist", "bin", "next");
  if (!dev && !skipBuild) {
    log("[start] building (npm start --no-build skips this)");
    const build = run(process.execPath, [next, "build"], { ...env, NODE_ENV: "production" });
    const code = await new Promise<number>((resolve) => build.on("close", (c) => resolve(c ?? 1)));
    if (code !== 0) throw new Error(`next build failed (${code})`);
  }
  const server = run(process.execPath, [next, dev ? "dev" : "start", "-p", String(port)], {
    ...env,
    NODE_ENV: dev ? "development" : "production",
  });
  cleanups.push(async () => {
    server.kill("SIGTERM");
  });
  server.on("exit", (code) => void shutdown(code ?? 0));

  await waitFor(`${appUrl}/api/inngest`, server);
  if (executor) {
    // sync() logs "synced N function(s)" itself.
    await executor.sync();
    executor.start();
  }
  log(`\nStepwise is running at ${appUrl}`);
  if (demo) log(`Sign in as ${adminEmail} / ${adminPassword} (also marketer@stepwise.local and viewer@stepwise.local)\n`);
}

/**
 * Which Inngest server the app talks to. The SDK's unsigned dev mode only
 * when the operator sets INNGEST_DEV (never because something answers on
 * :8288); a configured Inngest (Cloud or self-hosted) when its keys are set;
 * otherwise the local executor.
 */
function chooseInngestServer(): "dev-server" | "configured" | "local-executor" {
  // INNGEST_DEV=0 / false is the SDK's explicit cloud mode, not a dev server.
  if (process.env.INNGEST_DEV && !/^(0|false)$/i.test(process.env.INNGEST_DEV)) return "dev-server";
  if (process.env.INNGEST_EVENT_KEY || process.env.INNGEST_SIGNING_KEY) return "configured";
  return "local-executor";
}

/** Where the SDK looks for a dev server: INNGEST_BASE_URL, INNGEST_DEV when a URL, else :8288. */
function devServerUrl(): string {
  const dev = process.env.INNGEST_DEV ?? "";
  return process.env.INNGEST_BASE_URL ?? (/^https?:\/\//.test(dev) ? dev : "http://localhost:8288");
}

main().catch(async (error) => {
  console.error(`\n[start] ${error instanceof Error ? error.message : error}`);
  await shutdown(1);
});
