/**
 * The database a script talks to: DATABASE_URL when set (nothing is
 * started), otherwise an embedded PostgreSQL.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../lib/db/embedded-postgres";

export type ScriptDatabase = { url: string; embedded: boolean; stop: () => Promise<void> };

const log = (line: string) => console.log(line);

/** The app's persistent embedded cluster in `dataDir` (or DATABASE_URL). */
export async function appDatabase(dataDir = ".data/postgres"): Promise<ScriptDatabase> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} };
  const port = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
  const pg = await startEmbeddedPostgres({ dataDir: path.resolve(dataDir), port, log });
  log(`[db] embedded PostgreSQL on 127.0.0.1:${port} (data: ${pg.dataDir})`);
  return wrap(pg);
}

/** A throwaway cluster in a temporary directory, removed on stop. */
export async function throwawayDatabase(label = "scratch"): Promise<ScriptDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `stepwise-${label}-`));
  // mkdtemp makes a private (0700) folder; the postgres user must reach it as root.
  fs.chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, "data"), fsync: false, log });
  return {
    url: pg.url,
    embedded: true,
    stop: async () => {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function wrap(pg: EmbeddedPostgres): ScriptDatabase {
  return { url: pg.url, embedded: true, stop: pg.stop };
}
