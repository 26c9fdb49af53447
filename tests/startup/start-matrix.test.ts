/**
 * The start-up matrix: scripts/start.ts driven for real through `npm start`
 * on throwaway data directories. Who can sign in, what is printed, where the
 * servers listen, what production mode refuses, and that a stop is clean.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../lib/db/embedded-postgres";
import { createPrismaClient, type Db } from "../../lib/db/prisma";
import { descendants, nextServersBelow, nodeOptionsOf } from "../../scripts/lib/processes";
import { PRODUCTION_SETTINGS } from "../../scripts/lib/start-config";
import { resetDb } from "../support/db";
import { alive, cleanEnv, listenAddresses, npmStart, throwawayDataDir, waitUntil, type StartedApp } from "../support/start-process";
import { testDatabaseUrl } from "../support/database-url";

// A build exists when `npm test` runs this (scripts/test-all.ts builds first); alone, the first start builds.
const buildFlag = () => (fs.existsSync(path.join(".next", "BUILD_ID")) ? ["--no-build"] : []);
const dataDirs: string[] = [];
const clients: Db[] = [];

/**
 * The tests run concurrently (describe.concurrent): one after another, a core
 * sat idle for about a minute while boots waited on initdb, migrations and
 * Next.js. Each has its own data directory and ports, and stops the apps it
 * started itself when it ends, whatever the outcome (a failed assertion must
 * not leave an app running).
 */
type TestHooks = { onTestFinished: (fn: () => Promise<void> | void) => void };
function starter({ onTestFinished }: TestHooks) {
  return (args: string[], env: NodeJS.ProcessEnv) => {
    const app = npmStart(args, env);
    onTestFinished(() => stopApp(app));
    return app;
  };
}

/** Stops an app as a user would, then makes sure. */
async function stopApp(app: StartedApp) {
  if (!alive(app.child.pid!)) return;
  const tree = descendants(app.child.pid!);
  process.kill(app.child.pid!, "SIGTERM");
  if (!(await waitUntil(() => !tree.some(alive), 30_000))) for (const pid of tree.filter(alive)) process.kill(pid, "SIGKILL");
}

afterAll(async () => {
  await Promise.all(clients.map((c) => c.$disconnect()));
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Ports no other test of this file was given: concurrent tests ask for ports at the same time. */
const givenPorts = new Set<number>();
async function uniquePort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (givenPorts.has(port)) continue;
    givenPorts.add(port);
    return port;
  }
}

async function embeddedEnv(label: string, extra: Record<string, string> = {}) {
  const dataDir = throwawayDataDir(label);
  dataDirs.push(dataDir);
  const ports = { PORT: await uniquePort(), EMBEDDED_PG_PORT: await uniquePort(), STEPWISE_EXECUTOR_PORT: await uniquePort() };
  const env = cleanEnv({
    STEPWISE_DATA_DIR: dataDir,
    PORT: String(ports.PORT),
    EMBEDDED_PG_PORT: String(ports.EMBEDDED_PG_PORT),
    STEPWISE_EXECUTOR_PORT: String(ports.STEPWISE_EXECUTOR_PORT),
    ...extra,
  });
  return { dataDir, ports, env };
}

function dbAt(url: string): Db {
  const client = createPrismaClient(url, { poolSize: 1 });
  clients.push(client);
  return client;
}

const users = async (db: Db) => (await db.user.findMany({ select: { email: true, role: true }, orderBy: { email: "asc" } })).map((u) => `${u.email} ${u.role}`);

async function finished(app: StartedApp) {
  const result = await app.exited;
  return { ...result, stdout: app.stdout(), stderr: app.stderr() };
}

/** Signs in through Auth.js's credentials callback; true when a session was issued. */
async function signIn(base: string, email: string, password: string): Promise<boolean> {
  return (await sessionCookie(base, email, password)) !== null;
}

/** The Cookie header of a signed-in browser, or null when the sign-in is refused. */
async function sessionCookie(base: string, email: string, password: string): Promise<string | null> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  // As a browser's cookie jar: the last Set-Cookie of a name wins (the proxy and the route both set the CSRF cookie).
  const jar = new Map(csrf.headers.getSetCookie().map((c) => c.split(";")[0].split("=") as [string, string]));
  const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ csrfToken, email, password }),
  });
  const session = res.headers.getSetCookie().find((c) => /session-token=/.test(c));
  return res.status === 302 && !/error=/.test(res.headers.get("location") ?? "") && session ? session.split(";")[0] : null;
}

function generatedPasswords(dataDir: string): Map<string, string> {
  const file = path.join(dataDir, "initial-passwords.txt");
  return new Map(
    fs
      .readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l && !l.startsWith("#"))
      .map((l) => l.split("\t") as [string, string]),
  );
}

/** The embedded database's URL, from the password file start.ts's cluster keeps. */
function embeddedUrl(dataDir: string, port: number): string {
  const password = fs.readFileSync(path.join(dataDir, "postgres.password"), "utf8").trim();
  return `postgresql://stepwise:${encodeURIComponent(password)}@127.0.0.1:${port}/stepwise`;
}

describe.concurrent("production mode refuses to start without its secrets", () => {
  const complete: Record<string, string> = {
    STEPWISE_ENV: "production",
    INNGEST_SIGNING_KEY: "signkey-prod-0123456789abcdef",
    INNGEST_EVENT_KEY: "event-key-0123456789",
    AUTH_SECRET: "auth-secret-0123456789abcdef0123456789",
    STEPWISE_SIGNING_SECRET: "signing-secret-0123456789abcdef",
    APP_URL: "https://mail.example.com",
  };

  it.for(PRODUCTION_SETTINGS.map((name) => [name]))("without %s: one message naming it, exit code 1, nothing started", async ([name], test) => {
    const start = starter(test);
    const dataDir = throwawayDataDir("prod");
    dataDirs.push(dataDir);
    const env = cleanEnv({ ...complete, STEPWISE_DATA_DIR: dataDir });
    delete env[name];
    const run = await finished(start(["--setup-only"], env));
    expect(run.code).toBe(1);
    expect(run.stderr, `stdout: ${run.stdout}`).toContain(`Refusing to start in production mode (STEPWISE_ENV=production): ${name} is not set.`);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it("lists everything that is missing at once (NODE_ENV=production with DATABASE_URL)", async (test) => {
    const start = starter(test);
    const run = await finished(start(["--setup-only"], cleanEnv({ NODE_ENV: "production", DATABASE_URL: testDatabaseUrl() })));
    expect(run.code).toBe(1);
    expect(run.stderr, `stdout: ${run.stdout}`).toContain(
      "Refusing to start in production mode (NODE_ENV=production with DATABASE_URL): INNGEST_SIGNING_KEY, INNGEST_EVENT_KEY, AUTH_SECRET, STEPWISE_SIGNING_SECRET, APP_URL are not set.",
    );
  });
});

describe.concurrent("DATABASE_URL", () => {
  it("no demo users or data; an admin only when STEPWISE_ADMIN_EMAIL is set, its password generated and printed once", async (test) => {
    const start = starter(test);
    const url = testDatabaseUrl();
    const db = dbAt(url);
    await resetDb(db);
    const dataDir = throwawayDataDir("dburl");
    dataDirs.push(dataDir);

    const bare = await finished(start(["--setup-only"], cleanEnv({ DATABASE_URL: url, STEPWISE_DATA_DIR: dataDir })));
    expect(bare.code).toBe(0);
    expect(bare.stdout).toContain("STEPWISE_ADMIN_EMAIL not set: no admin created");
    expect(await users(db)).toEqual([]);
    expect(await db.contact.count()).toBe(0);

    const env = cleanEnv({ DATABASE_URL: url, STEPWISE_DATA_DIR: dataDir, STEPWISE_ADMIN_EMAIL: "Owner@Example.com" });
    const first = await finished(start(["--setup-only"], env));
    expect(first.code).toBe(0);
    expect(await users(db)).toEqual(["owner@example.com admin"]);
    const password = generatedPasswords(dataDir).get("owner@example.com")!;
    expect(password).toMatch(/^[\w-]{20}$/);
    expect(first.stdout).toContain(password);
    expect(fs.statSync(path.join(dataDir, "initial-passwords.txt")).mode & 0o777).toBe(0o600);

    const again = await finished(start(["--setup-only"], env));
    expect(again.stdout).not.toContain(password);
    expect(again.stdout).toContain("owner@example.com: its generated password is in");
    expect(await db.sequence.count()).toBe(0);
  });
});

describe.concurrent("the embedded database", () => {
  it("STEPWISE_DEMO=0 with the operator's admin: that admin only, no demo data, the password never printed or stored", async (test) => {
    const start = starter(test);
    const secret = "Operator-Secret-PW-42";
    const { dataDir, ports, env } = await embeddedEnv("nodemo", { STEPWISE_DEMO: "0", STEPWISE_ADMIN_EMAIL: "ops@corp.test", STEPWISE_ADMIN_PASSWORD: secret });
    const run = await finished(start(["--setup-only"], env));
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(secret);
    expect(run.stdout).toContain("Sign in as ops@corp.test with the password you set in STEPWISE_ADMIN_PASSWORD.");
    expect(fs.existsSync(path.join(dataDir, "initial-passwords.txt"))).toBe(false);
    for (const file of fs.readdirSync(dataDir).filter((f) => fs.statSync(path.join(dataDir, f)).isFile())) {
      expect(fs.readFileSync(path.join(dataDir, file), "utf8")).not.toContain(secret);
    }

    // --setup-only stopped the cluster: start it again to look inside.
    const { startEmbeddedPostgres } = await import("../../lib/db/embedded-postgres");
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "postgres"), port: ports.EMBEDDED_PG_PORT });
    try {
      const db = dbAt(pg.url);
      expect(await users(db)).toEqual(["ops@corp.test admin"]);
      expect(await db.contact.count()).toBe(0);
      expect(await db.sequence.count()).toBe(0);
      await db.$disconnect();
    } finally {
      await pg.stop();
    }
  });

  it("by default: generated logins printed once and kept 0600, loopback only, demo seeded once, a clean stop on SIGTERM that finishes in-flight requests", async (test) => {
    const start = starter(test);
    const { dataDir, ports, env } = await embeddedEnv("default");
    const app = start(buildFlag(), env);
    await app.waitFor(/Stepwise is running at/, 600_000);
    await app.waitFor(/\(viewer\)\n/, 10_000);
    const base = `http://127.0.0.1:${ports.PORT}`;
    const stored = generatedPasswords(dataDir);
    expect([...stored.keys()].sort()).toEqual(["admin@stepwise.local", "marketer@stepwise.local", "viewer@stepwise.local"]);
    for (const [email, password] of stored) expect(app.stdout()).toMatch(new RegExp(`${email.replace(/\./g, "\\.")}\\s+${password}`));
    expect(fs.statSync(path.join(dataDir, "initial-passwords.txt")).mode & 0o777).toBe(0o600);
    expect(app.stdout()).not.toContain("stepwise-demo");

    // Next.js and the executor listen on loopback only.
    expect(listenAddresses(ports.PORT)).toEqual(["127.0.0.1"]);
    expect(listenAddresses(ports.STEPWISE_EXECUTOR_PORT)).toEqual(["127.0.0.1"]);
    expect(listenAddresses(ports.EMBEDDED_PG_PORT)).toEqual(["127.0.0.1"]);
    expect(app.stdout()).toContain(`Listening on 127.0.0.1:${ports.PORT}: reachable from this machine only.`);

    // The generated passwords work; the once-published one does not; a refused sign-in is one line.
    expect(await signIn(base, "admin@stepwise.local", stored.get("admin@stepwise.local")!)).toBe(true);
    expect(await signIn(base, "marketer@stepwise.local", stored.get("marketer@stepwise.local")!)).toBe(true);
    const before = app.output().length;
    expect(await signIn(base, "marketer@stepwise.local", "stepwise-demo")).toBe(false);
    await waitUntil(() => /sign-in refused/.test(app.output().slice(before)), 5000);
    expect(app.output().slice(before).trim().split("\n")).toEqual(["[auth] sign-in refused: wrong email or password"]);

    // A forged X-Forwarded-Host does not become Auth.js's URL.
    const signin = await fetch(`${base}/api/auth/signin`, { headers: { "x-forwarded-host": "evil.example" }, redirect: "manual" });
    expect(signin.headers.getSetCookie().join("\n")).not.toContain("evil.example");

    // Delete a demo user and the demo sequences: they must stay deleted.
    const db = dbAt(embeddedUrl(dataDir, ports.EMBEDDED_PG_PORT));
    await db.user.delete({ where: { email: "viewer@stepwise.local" } });
    await db.sequenceTrigger.deleteMany();
    await db.sequenceStep.deleteMany();
    await db.sequence.deleteMany();
    // Contacts enough for an export larger than the sockets' buffers (~30 MB).
    await db.$executeRaw`INSERT INTO "Contact" ("id", "email", "lastName", "updatedAt")
      SELECT gen_random_uuid()::text, 'bulk' || i || '@example.test', repeat('x', 3000), now() FROM generate_series(1, 10000) i`;
    const contacts = await db.contact.count({ where: { deletedAt: null } });
    await db.$disconnect();

    // A request in flight when the stop begins: the export, read slowly by the client, so Next is still writing it.
    const cookie = await sessionCookie(base, "admin@stepwise.local", stored.get("admin@stepwise.local")!);
    const exported = await fetch(`${base}/api/contacts/export`, { headers: { cookie: cookie! } });
    expect(exported.status).toBe(200);
    const reader = exported.body!.getReader();
    const received: Uint8Array[] = [(await reader.read()).value!];

    // SIGTERM to the process that was started (npm): everything stops, PostgreSQL cleanly.
    const tree = descendants(app.child.pid!);
    const postmaster = Number(fs.readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
    expect(tree.length).toBeGreaterThan(1);
    const stopStarted = Date.now();
    process.kill(app.child.pid!, "SIGTERM");

    // Next has begun its stop (it no longer listens) while the export is unfinished; the export still completes, whole.
    expect(await waitUntil(() => listenAddresses(ports.PORT).length === 0, 20_000)).toBe(true);
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) received.push(chunk.value);
    const csv = Buffer.concat(received).toString("utf8");
    expect(csv.trimEnd().split("\n")).toHaveLength(contacts + 1);
    expect(csv).toContain("bulk10000@example.test");
    const gone = await waitUntil(() => ![app.child.pid!, ...tree, postmaster].some(alive), 30_000);
    expect(gone, `still running: ${[app.child.pid!, ...tree, postmaster].filter(alive).join(", ")}`).toBe(true);
    expect(Date.now() - stopStarted).toBeLessThan(30_000);
    expect(fs.readFileSync(path.join(dataDir, "postgres.log"), "utf8")).toMatch(/received fast shutdown request[\s\S]*database system is shut down\s*$/);

    // A second start: nothing printed again, nothing re-seeded.
    const again = await finished(start(["--setup-only"], env));
    expect(again.code).toBe(0);
    for (const password of stored.values()) expect(again.stdout).not.toContain(password);
    expect(again.stdout).toContain("demo data was seeded before: not again");
    const { startEmbeddedPostgres } = await import("../../lib/db/embedded-postgres");
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "postgres"), port: ports.EMBEDDED_PG_PORT });
    try {
      const check = dbAt(pg.url);
      expect(await users(check)).toEqual(["admin@stepwise.local admin", "marketer@stepwise.local marketer"]);
      expect(await check.sequence.count()).toBe(0);
      await check.$disconnect();
    } finally {
      await pg.stop();
    }
  });

  it("a heap budget that is not a whole number of megabytes: one message naming it, exit code 1, nothing started", async (test) => {
    const start = starter(test);
    const { dataDir, env } = await embeddedEnv("heap", { STEPWISE_SERVER_HEAP_MB: "1g" });
    const run = await finished(start([], env));
    expect(run.code).toBe(1);
    expect(run.stderr, `stdout: ${run.stdout}`).toContain('STEPWISE_SERVER_HEAP_MB must be a whole number of megabytes, at least 256 (it is "1g")');
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it("HOST=0.0.0.0 opts in to other machines (PostgreSQL stays on loopback); stops everything when its parent dies", async (test) => {
    const start = starter(test);
    const { dataDir, ports, env } = await embeddedEnv("orphan", { STEPWISE_DEMO: "0", HOST: "0.0.0.0", STEPWISE_SERVER_HEAP_MB: "768" });
    const app = start(buildFlag(), env);
    await app.waitFor(/Stepwise is running at[\s\S]*\n\n/, 600_000);
    expect(listenAddresses(ports.PORT)).toEqual(["0.0.0.0"]);
    expect(listenAddresses(ports.STEPWISE_EXECUTOR_PORT)).toEqual(["0.0.0.0"]);
    expect(listenAddresses(ports.EMBEDDED_PG_PORT)).toEqual(["127.0.0.1"]);
    expect(app.stdout()).toContain(`Listening on 0.0.0.0:${ports.PORT} (HOST=0.0.0.0): reachable from other machines`);
    const db = dbAt(embeddedUrl(dataDir, ports.EMBEDDED_PG_PORT));
    expect(await users(db)).toEqual(["admin@stepwise.local admin"]);
    await db.$disconnect();
    // The Next.js server (which renames itself) runs with the heap budget asked for.
    const servers = nextServersBelow(app.child.pid!);
    expect(servers).toHaveLength(1);
    const nodeOptions = nodeOptionsOf(servers[0]);
    expect(nodeOptions).toMatch(/(^|\s)--max-old-space-size=768(\s|$)/);

    // The parent (npm) dies without a chance to pass anything on.
    const tree = descendants(app.child.pid!);
    const postmaster = Number(fs.readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
    process.kill(app.child.pid!, "SIGKILL");
    const gone = await waitUntil(() => ![...tree, postmaster].some(alive), 30_000);
    expect(gone, `still running: ${[...tree, postmaster].filter(alive).join(", ")}`).toBe(true);
    expect(fs.readFileSync(path.join(dataDir, "postgres.log"), "utf8")).toMatch(/database system is shut down\s*$/);
  });
});
