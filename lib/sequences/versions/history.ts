/**
 * What the builder shows about versions: the draft (its steps and its
 * differences from the live steps), whether anyone is in the sequence, and
 * the published versions, newest first.
 */
import "server-only";
import type { Db } from "../../db/prisma";
import { diffSteps, type DiffEntry } from "./diff";
import { liveDraftSteps, ZStoredDraft, type DraftStep, type StoredDraft } from "./draft";
import { stepsAsDraft } from "./draft-store";

export type DraftState = {
  draft: (StoredDraft & { live: DraftStep[]; diff: DiffEntry[] }) | null;
  /** Active or paused enrollments: edits go to a draft. */
  liveEnrollments: number;
};

export async function getDraftState(db: Db, sequenceId: string): Promise<DraftState> {
  return db.$transaction(async (tx) => {
    const row = await tx.sequence.findUnique({ where: { id: sequenceId }, select: { draft: true } });
    const liveEnrollments = await tx.enrollment.count({ where: { sequenceId, status: { in: ["active", "paused"] } } });
    const draft = ZStoredDraft.safeParse(row?.draft).data ?? null;
    if (!draft) return { draft: null, liveEnrollments };
    const rows = await stepsAsDraft(tx, sequenceId);
    return { draft: { ...draft, steps: liveDraftSteps(draft.steps), live: liveDraftSteps(rows), diff: diffSteps(rows, draft.steps) }, liveEnrollments };
  });
}

export type VersionCounts = Partial<Record<"unchanged" | "due_changed" | "moved_from_deleted" | "steps_added" | "backfilled" | "overdue" | "passed", number>>;

export async function listVersions(db: Db, sequenceId: string, take = 20) {
  const rows = await db.sequenceVersion.findMany({
    where: { sequenceId },
    orderBy: { number: "desc" },
    take,
    select: { number: true, summary: true, publishedBy: true, publishedAt: true, plan: true },
  });
  return rows.map(({ plan, ...v }) => ({ ...v, counts: (plan ?? {}) as VersionCounts }));
}

/** The per-contact list of a preview, one page, changed contacts first. */
export async function previewContacts(
  db: Db,
  moves: readonly { enrollmentId: string; contactId: string; migration: { group: string; from: { stepId: string; dueAt: Date } | null; to: { stepId: string; dueAt: Date } | null; overdue: boolean; passed: { stepId: string }[] } }[],
  page: number,
  pageSize = 50,
) {
  const ordered = [...moves].sort((a, b) => Number(a.migration.group === "unchanged") - Number(b.migration.group === "unchanged") || (a.contactId < b.contactId ? -1 : 1));
  const pageCount = Math.max(1, Math.ceil(ordered.length / pageSize));
  const current = Math.min(page, pageCount);
  const slice = ordered.slice((current - 1) * pageSize, current * pageSize);
  const contacts = await db.contact.findMany({ where: { id: { in: slice.map((m) => m.contactId) } }, select: { id: true, email: true, firstName: true, lastName: true } });
  const byId = new Map(contacts.map((c) => [c.id, c]));
  return { page: current, pageCount, total: ordered.length, items: slice.map((m) => ({ ...m, contact: byId.get(m.contactId) ?? null })) };
}
