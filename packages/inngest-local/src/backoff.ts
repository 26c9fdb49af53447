/**
 * The real server's retry timing (pkg/backoff/backoff.go `TableBackoff`): the
 * queue asks for the delay with the attempt that just failed (0-based,
 * pkg/execution/queue/process.go:509-520), so the first retry waits 15 s,
 * then 30 s, 1 m, 2 m, 5 m, ... capped at 2 h, each plus 0-30 s of jitter.
 */
const TABLE_MS = [15, 30, 60, 120, 300, 600, 1200, 2400, 3600, 7200].map((s) => s * 1000);
export const MAX_JITTER_MS = 30_000;

/** Delay before retry `attempt` (1-based: 1 = the first retry). */
export function tableBackoffMs(attempt: number, random: () => number = Math.random): number {
  const index = Math.min(Math.max(attempt - 1, 0), TABLE_MS.length - 1);
  return TABLE_MS[index] + Math.floor(random() * MAX_JITTER_MS);
}

/** The longest `retries` retries can take in all (table and jitter), for tests that wait them out. */
export function worstCaseBackoffMs(retries: number): number {
  let total = 0;
  for (let attempt = 1; attempt <= retries; attempt++) total += tableBackoffMs(attempt, () => 1);
  return total;
}
