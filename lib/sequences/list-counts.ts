/**
 * The sequences list's enrollment columns (active, completed, exited) from
 * the running totals the database triggers keep in SequenceCounter
 * ("status:<status>" rows), so the list costs the same at 300 or 3 million
 * enrollments: a few indexed rows per sequence on the page, read inside the
 * list's one statement (sequence-list.ts). The delta rows of a busy
 * sequence are folded (one row per key) once they pile up, as the stats
 * panel does, so the read stays small even for a sequence nobody opens.
 */
import type { Db } from "../db/prisma";

export type ListCounts = { active: number; completed: number; exited: number };

/** One "status:<status>" key's sum, and how many delta rows it has. */
export type StatusCounterRow = [key: string, n: number, rows: number];

/** Past this many delta rows for one sequence, the read folds them for the next reads. */
const FOLD_AT = 500;

const LIVE = new Set(["status:active", "status:paused"]);

/** Every status that is neither live nor completed is an exit. */
export function countsOf(rows: StatusCounterRow[]): ListCounts {
  const counts = { active: 0, completed: 0, exited: 0 };
  for (const [key, n] of rows) {
    if (LIVE.has(key)) counts.active += n;
    else if (key === "status:completed") counts.completed += n;
    else counts.exited += n;
  }
  return counts;
}

/** Folds the counters of the sequences whose status rows have piled up (rare: the triggers add a row per change). */
export async function foldPiledUp(db: Db, bySequence: Map<string, StatusCounterRow[]>): Promise<void> {
  for (const [sequenceId, rows] of bySequence) {
    const deltaRows = rows.reduce((sum, [, , n]) => sum + n, 0);
    if (deltaRows > FOLD_AT) await db.$executeRaw`SELECT "sequence_counters_fold"(${sequenceId})`;
  }
}
