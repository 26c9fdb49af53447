/**
 * The benchmarks' PostgreSQL: a throwaway embedded cluster with fsync ON (the
 * test clusters turn it off; durability costs are part of what we measure),
 * migrated once with `prisma migrate deploy`. Each benchmark (and each
 * repetition) gets a fresh copy of a database: CREATE DATABASE ... TEMPLATE.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../../../lib/db/embedded-postgres";
import { migrateDeploy } from "../../../lib/db/migrate";

export type BenchCluster = {
  /** The migrated, empty database every other one is copied from. */
  migratedUrl: string;
  /** A new database copied from `template` (a database name; default: the migrated one). */
  createDatabase: (name: string, template?: string) => Promise<string>;
  dropDatabase: (name: string) => Promise<void>;
  /** Runs SQL on the maintenance database (CHECKPOINT, settings). */
  admin: (sql: string) => Promise<void>;
  /** Whether a database of this name exists (a kept cluster may hold one from an earlier run). */
  hasDatabase: (name: string) => Promise<boolean>;
  stop: () => Promise<void>;
};

const MIGRATED = "stepwise";

export function urlFor(baseUrl: string, database: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * `keepDir`: the cluster lives there and survives `stop()`, so data sets
 * built into it (see admin-queries' scale template) can be reused by the
 * next run. Without it, a temporary directory removed at the end.
 */
export async function startBenchCluster(log: (line: string) => void, keepDir: string | null = null): Promise<BenchCluster> {
  const dir = keepDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "stepwise-bench-"));
  fs.mkdirSync(dir, { recursive: true });
  // The postgres user must reach it when we run as root (see embedded-postgres.ts).
  fs.chmodSync(dir, 0o755);
  if (keepDir) log(`[bench] PostgreSQL cluster kept in ${keepDir}`);
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "data"), database: MIGRATED, fsync: true, log });
  await migrateDeploy(server.url);

  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: urlFor(server.url, "postgres") });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    migratedUrl: server.url,
    createDatabase: async (name, template = MIGRATED) => {
      // A kept cluster may still hold it from an interrupted run.
      await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      return urlFor(server.url, name);
    },
    dropDatabase: (name) => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    admin,
    hasDatabase: async (name) => {
      const client = new pg.Client({ connectionString: urlFor(server.url, "postgres") });
      await client.connect();
      try {
        const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
        return rowCount === 1;
      } finally {
        await client.end();
      }
    },
    stop: async () => {
      await server.stop();
      if (!keepDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A plain `pg` pool: what the raw baselines use, without Prisma in the way. */
export function rawPool(url: string, max = 10): pg.Pool {
  return new pg.Pool({ connectionString: url, max });
}
