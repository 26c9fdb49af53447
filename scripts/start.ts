/**
 * Runs Stepwise on one machine with no set-up:
 *   npm start        production build + `next start`
 *   npm run dev      `next dev`
 *   --no-build       reuse the last build
 *   --setup-only     database, migrations, users and secrets, then exit
 *
 * 1. Production mode (STEPWISE_ENV=production, or NODE_ENV=production with
 *    DATABASE_URL) refuses to start without its secrets, listing them all.
 * 2. Database: DATABASE_URL, or an embedded PostgreSQL in .data/postgres.
 * 3. Migrations, the first admin and (embedded default, or STEPWISE_DEMO=1)
 *    demo data, once. Passwords nobody supplied are generated, kept in the
 *    data directory (0600) and printed once; an operator's never are.
 * 4. Inngest: the dev server when the operator sets INNGEST_DEV; Inngest
 *    Cloud / self-hosted when INNGEST_EVENT_KEY / INNGEST_SIGNING_KEY are set;
 *    else the repo's local executor (offline development), with a signing
 *    key and an event key generated per start.
 * 5. Next.js on HOST (127.0.0.1 unless set). SIGINT, SIGTERM, SIGHUP or the
 *    parent's death stop the executor, Next.js and PostgreSQL, in that order.
 *
 * Environment: see README.md ("Configuration") and docs/security.md.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { migrateDeploy } from "../lib/db/migrate";
import { createPrismaClient } from "../lib/db/prisma";
import { createLogger, oneLine } from "../lib/log";
import { LocalExecutor, generateEventKey, generateSigningKey } from "@stepwise/inngest-local";
import { retirePublishedPassword, seedAdmin, seedDemo } from "../prisma/seed";
import { appDatabase } from "./lib/database";
import { OffsetClock, startExecutorControl } from "./lib/executor-control";
import { executorLog } from "./lib/executor-log";
import { FirstLoginPasswords } from "./lib/first-login";
import { secretFromEnvOrFile } from "./lib/secrets";
import { demoWanted, listenHost, localAddress, missingProductionSettings, productionReason, productionRefusal, reachability, serverNodeOptions } from "./lib/start-config";

const log = (line: string) => console.log(line);
const startLog = createLogger("start");
const dev = process.argv.includes("--dev");
const skipBuild = process.argv.includes("--no-build");
const setupOnly = process.argv.includes("--setup-only");
const port = Number(process.env.PORT ?? 3000);
const host = listenHost(process.env);
const dataDir = path.resolve(process.env.STEPWISE_DATA_DIR ?? ".data");
const appUrl = process.env.APP_URL ?? `http://localhost:${port}`;
/** Where this script itself reaches Next.js (APP_URL may be a public name). */
const localUrl = `http://${localAddress(host)}:${port}`;
/** How long a stop may take before the script gives up waiting and exits. */
const STOP_TIMEOUT_MS = 30_000;
/** How long the local executor may take to finish its calls in flight when stopping (then Next gets 10 s, PostgreSQL the rest). */
const EXECUTOR_DRAIN_MS = 10_000;

const cleanups: (() => Promise<void>)[] = [];
/** Killed outright if stopping takes too long, so Next never outlives this script. */
let nextServer: ChildProcess | undefined;
let shuttingDown = false;

async function shutdown(code: number, why?: string) {
  if (shuttingDown) return;
  shuttingDown = true;
  if (why) startLog.info(`${why}: stopping`);
  const giveUp = setTimeout(() => {
    startLog.error(`could not stop everything within ${STOP_TIMEOUT_MS / 1000} s; exiting anyway`);
    nextServer?.kill("SIGKILL");
    process.exit(code || 1);
  }, STOP_TIMEOUT_MS);
  for (const cleanup of cleanups.reverse()) await cleanup().catch((e) => startLog.error(String(e)));
  clearTimeout(giveUp);
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void shutdown(0, signal));
// Whatever goes wrong in this script, Next.js and PostgreSQL are stopped with it.
process.on("uncaughtException", (error) => void shutdown(1, `unexpected error: ${error.message}`));
process.on("unhandledRejection", (error) => void shutdown(1, `unexpected error: ${String(error)}`));
// A closed stdout (the terminal or the log pipe went away) must not crash the script.
for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {});

// npm (or tsx) starts this script; if that parent dies, even by SIGKILL, we are
// re-parented: stop rather than run on as an orphan nobody can stop.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) void shutdown(0, "parent process exited");
}, 1000).unref();

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

/** SIGTERM, then SIGKILL if the child has not exited within `graceMs`. */
function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

type Login = { email: string; role: string; password?: string };

async function main() {
  // Checked first: a bad setting refuses before anything is started.
  const productionServerNodeOptions = serverNodeOptions(process.env);
  const production = productionReason(process.env);
  if (production) {
    const missing = missingProductionSettings(process.env);
    if (missing.length) {
      console.error(productionRefusal(production, missing));
      process.exit(1);
    }
  }

  fs.mkdirSync(dataDir, { recursive: true });
  process.env.STEPWISE_DATA_DIR = dataDir;

  const database = await appDatabase(path.join(dataDir, "postgres"));
  cleanups.push(database.stop);
  await migrateDeploy(database.url);
  log("[db] migrations applied");

  const db = createPrismaClient(database.url, { poolSize: 2 });
  const passwords = new FirstLoginPasswords(dataDir);
  const demo = demoWanted(process.env, database.embedded);
  const logins: Login[] = [];
  const adminEmail = (process.env.STEPWISE_ADMIN_EMAIL ?? (database.embedded || demo ? "admin@stepwise.local" : "")).trim().toLowerCase();
  const operatorPassword = process.env.STEPWISE_ADMIN_PASSWORD;
  if (adminEmail) {
    let generated: string | undefined;
    const created = await seedAdmin(db, adminEmail, operatorPassword ?? (() => (generated = passwords.passwordFor(adminEmail))));
    logins.push({ email: adminEmail, role: "admin", password: created ? generated : undefined });
  } else {
    startLog.info("STEPWISE_ADMIN_EMAIL not set: no admin created");
  }
  if (demo) {
    const seeded = await seedDemo(db, (email) => passwords.passwordFor(email));
    if (seeded.seeded) logins.push(...seeded.users);
    else startLog.info(seeded.reason === "seeded_before" ? "demo data was seeded before: not again" : "the database is not empty: no demo data added");
  } else if (process.env.STEPWISE_DEMO) {
    startLog.info(`STEPWISE_DEMO=${process.env.STEPWISE_DEMO}: no demo data`);
  }
  for (const renewed of await retirePublishedPassword(db, (email) => passwords.passwordFor(email))) {
    const known = logins.find((l) => l.email === renewed.email);
    if (known) known.password = renewed.password;
    else logins.push(renewed);
  }
  await db.$disconnect();

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    AUTH_SECRET: secretFromEnvOrFile("AUTH_SECRET", dataDir, log),
    STEPWISE_SIGNING_SECRET: secretFromEnvOrFile("STEPWISE_SIGNING_SECRET", dataDir, log),
    // Auth.js builds its URLs from AUTH_URL, not from a client's (X-Forwarded-)Host.
    AUTH_URL: process.env.AUTH_URL ?? appUrl,
    APP_URL: appUrl,
    PORT: String(port),
  };
  if (setupOnly) {
    printLogins(logins, operatorPassword);
    await shutdown(0);
    return;
  }

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
      log: verbose ? (m) => log(`[executor] ${oneLine(m)}`) : executorLog(),
    });
    const server = await executor.listen(executorPort, host);
    const controlKey = process.env.STEPWISE_E2E_CONTROL_KEY ?? "";
    if (controlPort && !controlKey) log("[executor] STEPWISE_E2E_CONTROL_PORT needs STEPWISE_E2E_CONTROL_KEY: no clock control");
    const control = controlPort && controlKey ? startExecutorControl(controlPort, executor, clock, controlKey, host) : undefined;
    await control?.listening;
    if (control) log(`[executor] test clock control on ${host}:${controlPort}`);
    cleanups.push(async () => {
      // The executor finishes its calls in flight, but a backlog (thousands of
      // runs due at once) is not waited for: past EXECUTOR_DRAIN_MS the rest
      // stops as after a crash, and the self-healing job picks up what was
      // left. Waited for, it outlasted STOP_TIMEOUT_MS and left Next running.
      const drained = await Promise.race([(executor?.stop() ?? Promise.resolve()).then(() => true), new Promise<false>((r) => setTimeout(() => r(false), EXECUTOR_DRAIN_MS).unref())]);
      if (!drained) log(`[executor] still busy after ${EXECUTOR_DRAIN_MS / 1000} s: stopping without it`);
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
    cleanups.push(() => stopChild(build));
    const code = await new Promise<number>((resolve) => build.on("close", (c) => resolve(c ?? 1)));
    if (code !== 0) throw new Error(`next build failed (${code})`);
  }
  // The client-address hook resolves X-Forwarded-For from the socket (and TRUSTED_PROXY_HOPS) before Next sees a request.
  const clientAddressHook = pathToFileURL(path.resolve("lib", "security", "client-address-hook.mjs")).href;
  const server = run(process.execPath, ["--import", clientAddressHook, next, dev ? "dev" : "start", "-p", String(port), "-H", host], {
    ...env,
    NODE_ENV: dev ? "development" : "production",
    // The heap budget is the production server's; `next dev` compiles as it serves and keeps V8's own sizing.
    ...(dev ? {} : { NODE_OPTIONS: productionServerNodeOptions }),
  });
  nextServer = server;
  // Stopped after the executor (which finishes its calls into the app first) and before PostgreSQL.
  cleanups.splice(1, 0, () => stopChild(server));
  server.on("exit", (code) => void shutdown(code ?? 0));

  // Not /api/inngest: an unsigned request there is refused (and logged as one).
  await waitFor(`${localUrl}/login`, server);
  if (executor) {
    // sync() logs "synced N function(s)" itself.
    await executor.sync();
    executor.start();
  }
  log(`\nStepwise is running at ${appUrl}`);
  for (const line of reachability(host, port)) log(`  ${line}`);
  printLogins(logins, operatorPassword);
}

/** Generated passwords once (the start that created the user); an operator's never. */
function printLogins(logins: Login[], operatorPassword: string | undefined) {
  const fresh = logins.filter((l) => l.password);
  if (fresh.length) {
    log(`\nSign in with (shown this once; also kept in ${passwords()}, readable by you only):`);
    for (const l of fresh) log(`  ${l.email.padEnd(26)} ${l.password}   (${l.role})`);
  }
  const admin = logins.find((l) => l.role === "admin" && !l.password);
  if (admin && operatorPassword) log(`\nSign in as ${admin.email} with the password you set in STEPWISE_ADMIN_PASSWORD.`);
  else if (admin && new FirstLoginPasswords(dataDir).has(admin.email)) log(`\nSign in as ${admin.email}: its generated password is in ${passwords()}.`);
  else if (admin) log(`\nSign in as ${admin.email} with the password it was created with.`);
  log("");
}

function passwords(): string {
  const file = new FirstLoginPasswords(dataDir).file;
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") ? file : relative;
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
