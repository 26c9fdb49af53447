/**
 * The sequences list's enrollment columns (active, completed, exited) from
 * the running totals the database triggers keep in SequenceCounter
 * ("status:<status>" rows), so the list costs the same at 300 or 3 million
 * enrollments: one indexed read of a few rows per sequence on the page.
 * The delta rows of a busy sequence are folded (one row per key) once they
 * pile up, as the stats panel does, so the read stays small even for a
 * sequence nobody opens.
 */
import type { Db } from "../db/prisma";
import { idArray } from "../db/sql";

export type ListCounts = { active: number; completed: number; exited: number };

/** Past this many delta rows for one sequence, the read folds them for the next reads. */
const FOLD_AT = 500;

const LIVE = new Set(["status:active", "status:paused"]);

export async function sequenceListCounts(db: Db, sequenceIds: string[]): Promise<Map<string, ListCounts>> {
  const counts = new Map<string, ListCounts>(sequenceIds.map((id) => [id, { active: 0, completed: 0, exited: 0 }]));
  if (sequenceIds.length === 0) return counts;
  const rows = await db.$queryRaw<{ sequenceId: string; key: string; n: number; rows: number }[]>`
    SELECT "sequenceId", "key", sum("delta")::int AS n, count(*)::int AS "rows" FROM "SequenceCounter"
    WHERE "sequenceId" = ANY(${idArray(sequenceIds)}) AND starts_with("key", 'status:')
    GROUP BY 1, 2`;
  const deltaRows = new Map<string, number>();
  for (const row of rows) {
    const entry = counts.get(row.sequenceId)!;
    if (LIVE.has(row.key)) entry.active += row.n;
    else if (row.key === "status:completed") entry.completed += row.n;
    else entry.exited += row.n;
    deltaRows.set(row.sequenceId, (deltaRows.get(row.sequenceId) ?? 0) + row.rows);
  }
  for (const [sequenceId, n] of deltaRows) if (n > FOLD_AT) await db.$executeRaw`SELECT "sequence_counters_fold"(${sequenceId})`;
  return counts;
}
