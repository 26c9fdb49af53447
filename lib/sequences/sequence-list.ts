import "server-only";
import type { Db, Prisma } from "../db/prisma";
import { PAGE_SIZE, pageOf, type Page, type TListParams } from "../validations/common";
import type { TSequenceSort } from "../validations/analytics";
import { getSequenceRates, type SequenceRates } from "../tracking/analytics";
import { sequenceIdsByMetric } from "../tracking/sequence-sort";
import { sequenceListCounts } from "./list-counts";
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

/**
 * A page of the sequences list, with enrollment counts per outcome and the
 * rates, all from running counters (list-counts.ts, tracking/analytics.ts):
 * no read grows with the number of enrollments.
 */
export async function sequenceListPage(db: Db, { q, page }: TListParams, order: TSequenceSort = { sort: "updated", dir: "desc" }): Promise<Page<SequenceListItem>> {
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
  const [counts, rates] = await Promise.all([sequenceListCounts(db, sequences.map((s) => s.id)), getSequenceRates(db, sequences.map((s) => s.id))]);
  if (ranked) sequences.sort((a, b) => ranked.indexOf(a.id) - ranked.indexOf(b.id));
  const items = sequences.map((s) => {
    return {
      id: s.id,
      name: s.name,
      status: s.status,
      stepCount: s._count.steps,
      triggerSummary: s.triggers.length ? s.triggers.map(describeTrigger).join(" · ") : "Manual enrollment only",
      counts: counts.get(s.id)!,
      rates: rates.get(s.id)!,
    };
  });
  return pageOf(items, total, page);
}

