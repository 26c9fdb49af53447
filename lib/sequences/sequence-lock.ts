import type { Tx } from "../db/prisma";
import { AppError } from "../errors";
import type { SequenceStatus } from "../generated/prisma/enums";

export type TSequenceStatus = (typeof SequenceStatus)[keyof typeof SequenceStatus];

/**
 * Locks the sequence row for the rest of the transaction, so that builder
 * changes (steps, triggers, status) to one sequence apply one at a time and
 * an activation checks exactly what it activates.
 */
export async function lockSequence(tx: Tx, sequenceId: string): Promise<{ status: TSequenceStatus; name: string }> {
  const [row] = await tx.$queryRaw<{ status: TSequenceStatus; name: string }[]>`
    SELECT "status"::text AS "status", "name" FROM "Sequence" WHERE "id" = ${sequenceId} FOR UPDATE`;
  if (!row) throw new AppError("not_found", "Sequence not found.");
  return row;
}

/** Archived sequences are frozen: they keep their history and can only be duplicated. */
export function assertEditable(status: TSequenceStatus): void {
  if (status === "archived") throw new AppError("conflict", "This sequence is archived. Duplicate it to make changes.");
}
