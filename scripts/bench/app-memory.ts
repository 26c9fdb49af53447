/**
 * 7. Memory of the real app: `npm start`'s own script (scripts/start.ts:
 * production build, `next start`, the local executor) on a database of the
 * bench cluster, signed in over HTTP like a browser, driving the admin pages
 * and then a bulk enrollment of 10,000 contacts through the contacts page's
 * own server action (1,000 per request, as the page sends them), while the
 * executor runs the enrolled contacts' first steps into the mail catcher.
 *
 * Figure: the peak resident memory of the Next.js server process, read from
 * the kernel's high-water mark (VmHWM in /proc/<pid>/status, exact, no
 * sampling gap). Baseline: the same process's resident memory at rest, just
 * after start-up. Target: peak < 600 MB.
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../lib/db/embedded-postgres";
import { nextServersBelow, nodeOptionsOf } from "../lib/processes";
import { heapBudgetIn } from "../lib/start-config";
import { type BenchCluster, rawPool } from "./lib/database";
import { insertContacts, insertSequence } from "./lib/data";
import type { BenchResult } from "./lib/report";

const CONTACTS = 10_000;
const BATCH = 1_000;
const PAGE_ROUNDS = 5;
const LIMIT_MB = 600;
/** How long the runs may go on after the enrollment before the figure is read. */
const RUN_WINDOW_MS = 90_000;
const ADMIN_EMAIL = "bench-admin@stepwise.local";

const mb = (kb: number) => kb / 1024;

/** The heap budget a process was started with (NODE_OPTIONS' --max-old-space-size, as scripts/start.ts sets it). */
function heapBudgetOf(pid: number): string {
  const budget = heapBudgetIn(nodeOptionsOf(pid));
  return budget ? `${budget} MB` : "none (V8's default)";
}

/** VmRSS / VmHWM of a process, in kB (Linux). */
function memoryOf(pid: number): { rssKb: number; peakKb: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
    return { rssKb: field("VmRSS"), peakKb: field("VmHWM") };
  } catch {
    return null;
  }
}

async function waitUntil<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Auth.js's credentials sign-in, as the login form's browser does it: the session cookie. */
async function signIn(base: string, password: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const jar = new Map(csrf.headers.getSetCookie().map((c) => c.split(";")[0].split("=") as [string, string]));
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") },
    body: new URLSearchParams({ csrfToken, email: ADMIN_EMAIL, password }),
  });
  for (const c of res.headers.getSetCookie()) {
    const [name, value] = c.split(";")[0].split("=");
    jar.set(name, value);
  }
  if (res.status !== 302 || ![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in failed (HTTP ${res.status})`);
  return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
}

/** The id Next gave a server action in this build (the manifest names each by file and export). */
function serverActionId(exportedName: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(".next", "server", "server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { exportedName?: string }>;
  };
  const found = Object.entries(manifest.node).find(([, entry]) => entry.exportedName === exportedName);
  if (!found) throw new Error(`no server action "${exportedName}" in this build`);
  return found[0];
}

/**
 * SIGTERM, as a process manager stops `npm start`; after two minutes (the
 * executor first lets the runs' calls in flight finish) the whole process
 * group, so no Next server outlives a benchmark.
 */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 120_000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

export async function benchAppMemory(cluster: BenchCluster, log: (line: string) => void): Promise<BenchResult> {
  const url = await cluster.createDatabase("app_memory");
  const pool = rawPool(url, 2);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "stepwise-bench-app-"));
  let app: ChildProcess | null = null;
  try {
    await insertContacts(pool, CONTACTS, "memory");
    const sequence = await insertSequence(pool, { name: "Memory benchmark", steps: 2, status: "active" });
    const { rows: contacts } = await pool.query<{ id: string }>(`SELECT "id" FROM "Contact" ORDER BY "id"`);

    const [port, executorPort] = [await freePort(), await freePort()];
    const base = `http://127.0.0.1:${port}`;
    const password = crypto.randomBytes(18).toString("base64url");
    // Not production mode (that needs real secrets): the default `npm start`.
    const { NODE_ENV: _nodeEnv, STEPWISE_ENV: _stepwiseEnv, ...inherited } = process.env;
    const env: Record<string, string | undefined> = {
      ...inherited,
      DATABASE_URL: url,
      STEPWISE_DATA_DIR: dataDir,
      STEPWISE_DEMO: "0",
      STEPWISE_ADMIN_EMAIL: ADMIN_EMAIL,
      STEPWISE_ADMIN_PASSWORD: password,
      PORT: String(port),
      STEPWISE_EXECUTOR_PORT: String(executorPort),
      HOST: "127.0.0.1",
      APP_URL: base,
    };
    log("[memory] npm start (scripts/start.ts: build, next start, local executor)");
    const started = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"], detached: true });
    app = started;
    let output = "";
    started.stdout!.on("data", (d) => (output += d));
    started.stderr!.on("data", (d) => (output += d));
    await waitUntil("the app to start", 15 * 60_000, async () => {
      if (started.exitCode !== null) throw new Error(`the app exited (${started.exitCode}):\n${output.slice(-2000)}`);
      return /Stepwise is running at/.test(output);
    });
    const [serverPid] = nextServersBelow(started.pid!);
    if (!serverPid) throw new Error("no Next.js server process among the app's processes");
    const resting = memoryOf(serverPid)!;
    const heapBudget = heapBudgetOf(serverPid);
    log(`[memory] next server pid ${serverPid}: ${mb(resting.rssKb).toFixed(0)} MB resident at rest, heap budget ${heapBudget}`);

    const cookie = await signIn(base, password);
    const get = async (pathname: string) => {
      const res = await fetch(`${base}${pathname}`, { headers: { cookie }, redirect: "manual" });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`GET ${pathname} answered ${res.status}`);
    };
    const pages = ["/contacts", "/contacts?page=100", `/contacts/${contacts[0].id}`, "/sequences", `/sequences/${sequence.id}`, "/activity", "/mail", "/settings"];
    for (let round = 0; round < PAGE_ROUNDS; round++) for (const page of pages) await get(page);
    log(`[memory] ${PAGE_ROUNDS} rounds of ${pages.length} admin pages: ${mb(memoryOf(serverPid)!.rssKb).toFixed(0)} MB resident`);

    // The contacts page's bulk "Enroll in sequence", as its client calls it.
    const actionId = serverActionId("bulkEnrollAction");
    for (let i = 0; i < contacts.length; i += BATCH) {
      const contactIds = contacts.slice(i, i + BATCH).map((c) => c.id);
      const res = await fetch(`${base}/contacts`, {
        method: "POST",
        headers: { cookie, origin: base, "next-action": actionId, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component" },
        body: JSON.stringify([{ contactIds, sequenceId: sequence.id }]),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`the bulk enroll action answered ${res.status}: ${text.slice(0, 300)}`);
    }
    const { rows: [{ n: enrolled }] } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Enrollment" WHERE "sequenceId" = $1`, [sequence.id]);
    if (enrolled !== CONTACTS) throw new Error(`the bulk enrollment made ${enrolled} enrollments, not ${CONTACTS}`);
    log(`[memory] ${enrolled} enrolled through the action; letting the runs go for up to ${RUN_WINDOW_MS / 1000} s`);

    const runStart = Date.now();
    let sent = 0;
    while (Date.now() - runStart < RUN_WINDOW_MS) {
      sent = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "StepSend" WHERE "status" = 'sent'`)).rows[0].n;
      if (sent >= CONTACTS) break;
      await new Promise((r) => setTimeout(r, 2_000));
    }
    const after = memoryOf(serverPid)!;
    log(`[memory] ${sent} first steps sent in ${((Date.now() - runStart) / 1000).toFixed(0)} s; peak ${mb(after.peakKb).toFixed(0)} MB`);
    const peakMb = mb(after.peakKb);
    return {
      name: "app_memory",
      unit: "MB resident of the Next.js server process started by npm start (kernel high-water mark)",
      product: { next_server_peak_rss_mb: peakMb, next_server_rss_after_mb: mb(after.rssKb) },
      baseline: { next_server_resting_rss_mb: mb(resting.rssKb) },
      ratio: null,
      target: `< ${LIMIT_MB} MB`,
      pass: peakMb < LIMIT_MB,
      notes: {
        drove: `${PAGE_ROUNDS} rounds of ${pages.join(", ")}; ${CONTACTS} enrolled by ${CONTACTS / BATCH} bulkEnrollAction requests`,
        first_steps_sent_during_window: sent,
        window_s: RUN_WINDOW_MS / 1000,
        next_server_heap_budget: heapBudget,
      },
    };
  } finally {
    if (app) await stop(app);
    await pool.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await cluster.dropDatabase("app_memory");
  }
}
