import type { Tx } from "../db/prisma";
import { AppError } from "../errors";
import type { SequenceStatus } from "../generated/prisma/enums";

export type TSequenceStatus = (typeof SequenceStatus)[keyof typeof SequenceStatus];

/**
 * Locks the sequence row for the rest of the transaction, so that builder
 * changes (steps, triggers, status) to one sequence apply one at a time and
 * an activation checks exactly what it activates.
 * FOR NO KEY UPDATE, not FOR UPDATE: foreign key checks of rows written
 * under an enrollment's lock (a send's counters, an exit's log line) take
 * KEY SHARE on the sequence; FOR UPDATE blocked them while a publish waited
 * for that enrollment: a deadlock (tests/fault/opt-out-race.test.ts).
 */
export async function lockSequence(tx: Tx, sequenceId: string): Promise<{ status: TSequenceStatus; name: string }> {
  const [row] = await tx.$queryRaw<{ status: TSequenceStatus; name: string }[]>`
    SELECT "status"::text AS "status", "name" FROM "Sequence" WHERE "id" = ${sequenceId} FOR NO KEY UPDATE`;
  if (!row) throw new AppError("not_found", "Sequence not found.");
  return row;
}

/** Archived sequences are frozen: they keep their history and can only be duplicated. */
export function assertEditable(status: TSequenceStatus): void {
  if (status === "archived") throw new AppError("conflict", "This sequence is archived. Duplicate it to make changes.");
}
