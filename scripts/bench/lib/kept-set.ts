/**
 * Whether a data set kept by `--data-dir` can serve this run, and how: a
 * data set at 1m contacts takes about 35 minutes of both cores to build, so
 * a kept one is upgraded in place when the schema has only gained
 * migrations since (they are applied as `prisma migrate deploy` applies them
 * to an installation: their own backfills fill what they add), and rebuilt
 * when it is unfinished, from another generator, or one of its migrations
 * was edited or removed since (its data may no longer be what the schema
 * makes).
 *
 * A migration is named here as "<directory>:<checksum>", the checksum being
 * the SHA-256 of its migration.sql, as Prisma records it in
 * _prisma_migrations: an edited file no longer matches what was applied.
 * Usually the kept migrations are a prefix of the schema's; a branch merged
 * later with an older-named migration makes them a subset, which `migrate
 * deploy` applies all the same (the log says so).
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type pg from "pg";

export type KeptSet = {
  /** The applied migrations, in the order they were applied. */
  migrations: string[];
  /** Migrations started and neither finished nor rolled back (a failed deploy). */
  failed: number;
  /** The _bench_data_set marker, written when a build finished; null: unfinished. */
  dataSet: string | null;
};

export type KeptSetPlan =
  | { action: "reuse" }
  | { action: "upgrade"; missing: string[]; prefix: boolean }
  | { action: "rebuild"; reason: string };

/** The schema's migrations in the order `migrate deploy` applies them (by directory name). */
export function schemaMigrations(dir = path.resolve("prisma", "migrations")): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => `${name}:${createHash("sha256").update(fs.readFileSync(path.join(dir, name, "migration.sql"))).digest("hex")}`);
}

/** What a database has applied, and whether a data set was finished in it. */
export async function describeKeptSet(pool: pg.Pool): Promise<KeptSet> {
  const { rows } = await pool.query<{ migration: string; finished: boolean }>(
    `SELECT "migration_name" || ':' || "checksum" AS migration, "finished_at" IS NOT NULL AS finished
     FROM "_prisma_migrations" WHERE "rolled_back_at" IS NULL ORDER BY "started_at", "migration_name"`,
  );
  const { rows: [marker] } = await pool.query<{ marker: string | null }>(`SELECT to_regclass('"_bench_data_set"')::text AS marker`);
  const dataSet = marker.marker === null ? null : (await pool.query<{ scale: string }>(`SELECT "scale" FROM "_bench_data_set"`)).rows[0]?.scale ?? null;
  return { migrations: rows.filter((r) => r.finished).map((r) => r.migration), failed: rows.filter((r) => !r.finished).length, dataSet };
}

const nameOf = (migration: string) => migration.slice(0, migration.lastIndexOf(":"));

/** The first applied migration the schema no longer has as applied (edited or removed), in words; null: none. */
export function divergence(applied: string[], schema: string[]): string | null {
  const current = new Set(schema);
  const gone = applied.find((migration) => !current.has(migration));
  if (gone === undefined) return null;
  const edited = schema.some((migration) => nameOf(migration) === nameOf(gone));
  return `${nameOf(gone)} was ${edited ? "edited" : "removed"} since it was applied`;
}

export function planKeptSet(kept: KeptSet, schema: string[], dataSetName: string): KeptSetPlan {
  if (kept.dataSet === null) return { action: "rebuild", reason: "unfinished" };
  if (kept.dataSet !== dataSetName) return { action: "rebuild", reason: `built by another generator ("${kept.dataSet}"; this one writes "${dataSetName}")` };
  if (kept.failed > 0) return { action: "rebuild", reason: `${kept.failed} of its migrations failed` };
  const diverged = divergence(kept.migrations, schema);
  if (diverged !== null) return { action: "rebuild", reason: diverged };
  const applied = new Set(kept.migrations);
  const missing = schema.filter((migration) => !applied.has(migration));
  if (missing.length === 0) return { action: "reuse" };
  const prefix = kept.migrations.every((migration, i) => migration === schema[i]);
  return { action: "upgrade", missing: missing.map(nameOf), prefix };
}
