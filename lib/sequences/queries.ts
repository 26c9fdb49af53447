import "server-only";
import { requirePageUser } from "../auth/session";
import { getDb } from "../db/client";
import type { Prisma } from "../db/prisma";
import type { MergeContact } from "../email/render";
import { AppError } from "../errors";
import { PAGE_SIZE, pageOf, type Page, type TListParams } from "../validations/common";
import { getSequenceRates, type SequenceRates } from "../tracking/analytics";
import { sequenceIdsByMetric } from "../tracking/sequence-sort";
import type { TSequenceSort } from "../validations/analytics";
import { TRIGGER_DEFINITIONS } from "./triggers";

export type SequenceListItem = {
  id: string;
  name: string;
  status: string;
  triggerSummary: string;
  stepCount: number;
  counts: { active: number; completed: number; exited: number };
  /** All time, from the engagement counters (lib/tracking/analytics.ts). */
  rates: SequenceRates;
};

type TriggerLike = { type: keyof typeof TRIGGER_DEFINITIONS; scoreThreshold: number | null; signupSource: string | null; tag: { name: string } | null };

export function describeTrigger(t: TriggerLike): string {
  switch (t.type) {
    case "tag_added":
      return `Tag added: ${t.tag?.name ?? "(deleted tag)"}`;
    case "score_threshold":
      return `Lead score reaches ${t.scoreThreshold}`;
    case "signup":
      return t.signupSource ? `Signs up via ${t.signupSource}` : "Signs up";
  }
}

/** Sequences for the list page, with enrollment counts per outcome. */
export async function listSequences({ q, page }: TListParams, order: TSequenceSort = { sort: "updated", dir: "desc" }): Promise<Page<SequenceListItem>> {
  await requirePageUser("viewer");
  const db = getDb();
  const where: Prisma.SequenceWhereInput = q ? { name: { contains: q, mode: "insensitive" } } : {};
  // Sorted by a rate: the page's ids come ranked from the counters (lib/tracking/sequence-sort.ts).
  const ranked = order.sort === "updated" ? null : await sequenceIdsByMetric(db, where, { sort: order.sort, dir: order.dir }, page);
  const [total, sequences] = await Promise.all([
    db.sequence.count({ where }),
    db.sequence.findMany({
      where: ranked ? { id: { in: ranked } } : where,
      orderBy: [{ updatedAt: order.dir }, { id: "asc" }],
      skip: ranked ? 0 : (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: {
        id: true,
        name: true,
        status: true,
        triggers: { select: { type: true, scoreThreshold: true, signupSource: true, tag: { select: { name: true } } } },
        _count: { select: { steps: { where: { deletedAt: null } } } },
      },
    }),
  ]);
  const grouped = await db.enrollment.groupBy({
    by: ["sequenceId", "status"],
    where: { sequenceId: { in: sequences.map((s) => s.id) } },
    _count: { _all: true },
  });
  const rates = await getSequenceRates(db, sequences.map((s) => s.id));
  if (ranked) sequences.sort((a, b) => ranked.indexOf(a.id) - ranked.indexOf(b.id));
  const items = sequences.map((s) => {
    const counts = { active: 0, completed: 0, exited: 0 };
    for (const g of grouped.filter((g) => g.sequenceId === s.id)) {
      if (g.status === "active" || g.status === "paused") counts.active += g._count._all;
      else if (g.status === "completed") counts.completed += g._count._all;
      else counts.exited += g._count._all;
    }
    return {
      id: s.id,
      name: s.name,
      status: s.status,
      stepCount: s._count.steps,
      triggerSummary: s.triggers.length ? s.triggers.map(describeTrigger).join(" · ") : "Manual enrollment only",
      counts,
      rates: rates.get(s.id)!,
    };
  });
  return pageOf(items, total, page);
}

/** One sequence with its steps, triggers and a page of enrollments. */
export async function getSequenceDetail(id: string, { page }: { page: number }) {
  await requirePageUser("viewer");
  const db = getDb();
  const sequence = await db.sequence.findUnique({
    where: { id },
    include: {
      steps: { where: { deletedAt: null }, orderBy: { position: "asc" } },
      triggers: { include: { tag: { select: { name: true } } }, orderBy: { createdAt: "asc" } },
    },
  });
  if (!sequence) throw new AppError("not_found", "Sequence not found");
  const [total, enrollments] = await Promise.all([
    db.enrollment.count({ where: { sequenceId: id } }),
    db.enrollment.findMany({
      where: { sequenceId: id },
      orderBy: [{ enrolledAt: "desc" }, { id: "asc" }],
      skip: (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: {
        id: true,
        status: true,
        currentStepIndex: true,
        enrolledAt: true,
        exitedAt: true,
        exitReason: true,
        source: true,
        nextStepDueAt: true,
        contact: { select: { id: true, email: true, firstName: true, lastName: true } },
      },
    }),
  ]);
  return { sequence, enrollments: pageOf(enrollments, total, page) };
}

/** Active sequences, for "enroll into" pickers. */
export async function listActiveSequenceOptions() {
  await requirePageUser("viewer");
  return getDb().sequence.findMany({ where: { status: "active" }, orderBy: { name: "asc" }, select: { id: true, name: true } });
}

/** Tags for the builder's trigger picker, by name. */
export async function listTagOptions(): Promise<{ id: string; name: string }[]> {
  await requirePageUser("viewer");
  return getDb().tag.findMany({ orderBy: { name: "asc" }, take: 1000, select: { id: true, name: true } });
}

const SAMPLE_CONTACT: MergeContact = {
  email: "ada@example.com",
  firstName: "Ada",
  lastName: "Lovelace",
  attributes: { company: "Analytical Engines Ltd" },
};

/** Whom the step preview is rendered for: a real named contact, or a built-in sample. */
export async function getPreviewContact(): Promise<MergeContact> {
  await requirePageUser("viewer");
  const contact = await getDb().contact.findFirst({
    where: { deletedAt: null, status: "subscribed", firstName: { not: null } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { email: true, firstName: true, lastName: true, attributes: true },
  });
  return contact ?? SAMPLE_CONTACT;
}
