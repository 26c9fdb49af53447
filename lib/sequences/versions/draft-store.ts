/**
 * Where a draft lives: Sequence.draft, one JSONB value read and written
 * whole (docs/versions.md, "Drafts", says why not draft rows). Publishing
 * writes the draft into the step rows (materializeDraft) in the publishing
 * transaction.
 */
import "server-only";
import { now } from "../../clock";
import { Prisma, type Tx } from "../../db/prisma";
import { ZStoredDraft, type DraftStep, type StoredDraft } from "./draft";

/** The sequence's draft, or null. Call under the sequence's lock to edit it. */
export async function readDraft(tx: Tx, sequenceId: string): Promise<StoredDraft | null> {
  const row = await tx.sequence.findUnique({ where: { id: sequenceId }, select: { draft: true } });
  return ZStoredDraft.safeParse(row?.draft).data ?? null;
}

/** Whether anyone holds a live (active or paused) place in the sequence. */
export async function hasLiveEnrollments(tx: Tx, sequenceId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<unknown[]>`
    SELECT 1 FROM "Enrollment" WHERE "sequenceId" = ${sequenceId} AND "status" IN ('active', 'paused') LIMIT 1`;
  return rows.length > 0;
}

/** The live rows as draft steps (deleted ones included, so run order keeps its meaning). */
export async function stepsAsDraft(tx: Tx, sequenceId: string): Promise<DraftStep[]> {
  const rows = await tx.sequenceStep.findMany({
    where: { sequenceId },
    select: { id: true, position: true, createdAt: true, delayAmount: true, delayUnit: true, waitUntil: true, subject: true, body: true, deletedAt: true },
  });
  return rows.map(({ createdAt, deletedAt, ...s }) => ({ ...s, createdAt: createdAt.getTime(), deleted: deletedAt !== null, added: false }));
}

/** A new draft: the live steps as they are, based on the current version. */
export async function startDraft(tx: Tx, sequenceId: string): Promise<StoredDraft> {
  const { version } = await tx.sequence.findUniqueOrThrow({ where: { id: sequenceId }, select: { version: true } });
  return { baseVersion: version, steps: await stepsAsDraft(tx, sequenceId), updatedAt: now().toISOString(), updatedBy: null };
}

export async function saveDraft(tx: Tx, sequenceId: string, draft: StoredDraft): Promise<void> {
  await tx.sequence.update({ where: { id: sequenceId }, data: { draft: draft as unknown as Prisma.InputJsonValue } });
}

export async function clearDraft(tx: Tx, sequenceId: string): Promise<void> {
  await tx.sequence.update({ where: { id: sequenceId }, data: { draft: Prisma.DbNull } });
}

/**
 * Writes the draft into the step rows: creates added steps under their
 * draft ids, updates changed ones, soft-deletes removed ones. Rows are never
 * hard-deleted (sends reference them).
 */
export async function materializeDraft(tx: Tx, sequenceId: string, steps: readonly DraftStep[]): Promise<void> {
  const rows = new Map((await stepsAsDraft(tx, sequenceId)).map((s) => [s.id, s]));
  const at = now();
  for (const s of steps) {
    const row = rows.get(s.id);
    const fields = { position: s.position, delayAmount: s.delayAmount, delayUnit: s.delayUnit, waitUntil: s.waitUntil ?? null, subject: s.subject, body: s.body };
    if (!row) {
      if (s.deleted) continue;
      await tx.sequenceStep.create({ data: { id: s.id, sequenceId, createdAt: new Date(s.createdAt), ...fields } });
      continue;
    }
    const changed =
      row.position !== s.position || row.delayAmount !== s.delayAmount || row.delayUnit !== s.delayUnit ||
      (row.waitUntil ?? null) !== (s.waitUntil ?? null) || row.subject !== s.subject || row.body !== s.body;
    const deleting = s.deleted && !row.deleted;
    if (!changed && !deleting) continue;
    await tx.sequenceStep.update({ where: { id: s.id }, data: { ...fields, ...(deleting ? { deletedAt: at } : {}) } });
  }
}
