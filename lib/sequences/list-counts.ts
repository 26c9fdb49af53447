/**
 * The sequences list's enrollment columns (active, completed, exited) from
 * the running totals the database triggers keep in SequenceCounter
 * ("status:<status>" rows), so the list costs the same at 300 or 3 million
 * enrollments: a few indexed rows per sequence on the page, read inside the
 * list's one statement (sequence-list.ts). Its rate columns read
 * EngagementTotal the same way (all-time sums per kind, kept from
 * EngagementCounter by triggers). The delta rows of a busy sequence are
 * folded (one row per key) once they pile up, as the stats panel does, so
 * the read stays small even for a sequence nobody opens.
 */
import type { Db } from "../db/prisma";

export type ListCounts = { active: number; completed: number; exited: number };

/** One key's sum ("status:<status>", or an engagement kind), and how many delta rows it has. */
export type CounterRow = [key: string, n: number, rows: number];

/** Past this many status delta rows for one sequence, the read folds them for the next reads. */
const FOLD_AT = 500;
/**
 * The same for a sequence's engagement totals. Lower: a row is appended per
 * send statement and per reply, unsubscribe or bounce, and a fold (a few
 * rows written) keeps the list from summing more than this per sequence.
 */
const TOTALS_FOLD_AT = 100;

const LIVE = new Set(["status:active", "status:paused"]);

/** Every status that is neither live nor completed is an exit. */
export function countsOf(rows: CounterRow[]): ListCounts {
  const counts = { active: 0, completed: 0, exited: 0 };
  for (const [key, n] of rows) {
    if (LIVE.has(key)) counts.active += n;
    else if (key === "status:completed") counts.completed += n;
    else counts.exited += n;
  }
  return counts;
}

const deltaRows = (rows: CounterRow[]) => rows.reduce((sum, [, , n]) => sum + n, 0);

/** Folds the counters and totals of the sequences whose delta rows have piled up (rare: the triggers add a row per change). */
export async function foldPiledUp(db: Db, bySequence: Map<string, { status: CounterRow[]; engagement: CounterRow[] }>): Promise<void> {
  for (const [sequenceId, { status, engagement }] of bySequence) {
    if (deltaRows(status) > FOLD_AT) await db.$executeRaw`SELECT "sequence_counters_fold"(${sequenceId})`;
    if (deltaRows(engagement) > TOTALS_FOLD_AT) await db.$executeRaw`SELECT "engagement_totals_fold"(${sequenceId})`;
  }
}
