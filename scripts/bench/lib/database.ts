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
  stop: () => Promise<void>;
};

const MIGRATED = "stepwise";

export function urlFor(baseUrl: string, database: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function startBenchCluster(log: (line: string) => void): Promise<BenchCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stepwise-bench-"));
  // The postgres user must reach it when we run as root (see embedded-postgres.ts).
  fs.chmodSync(dir, 0o755);
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
      await admin(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      return urlFor(server.url, name);
    },
    dropDatabase: (name) => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    admin,
    stop: async () => {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A plain `pg` pool: what the raw baselines use, without Prisma in the way. */
export function rawPool(url: string, max = 10): pg.Pool {
  return new pg.Pool({ connectionString: url, max });
}
