/**
 * The sequences list sorted by a rate column: the rates come from the
 * running counters of every matching sequence (one grouped read, no scan of
 * sends or events), then the page is cut. Sequences are few (hundreds), so
 * this is cheap; past SORT_CAP the rest is left out of the sort.
 */
import "server-only";
import type { Db, Prisma } from "../db/prisma";
import { PAGE_SIZE } from "../validations/common";
import type { TSequenceSort } from "../validations/analytics";
import { getSequenceRates, type SequenceRates } from "./analytics";

const SORT_CAP = 5_000;

type MetricSort = Exclude<TSequenceSort["sort"], "updated">;

const METRIC: Record<MetricSort, (r: SequenceRates) => number | null> = {
  active: (r) => r.active,
  replyRate: (r) => r.replyRate,
  unsubscribeRate: (r) => r.unsubscribeRate,
};

/** The ids of page `page` in the order asked for; sequences without a rate (nothing delivered) come last either way. */
export async function sequenceIdsByMetric(db: Db, where: Prisma.SequenceWhereInput, order: { sort: MetricSort; dir: "asc" | "desc" }, page: number): Promise<string[]> {
  const all = await db.sequence.findMany({ where, orderBy: [{ updatedAt: "desc" }, { id: "asc" }], select: { id: true }, take: SORT_CAP });
  const rates = await getSequenceRates(db, all.map((s) => s.id));
  const value = (id: string) => METRIC[order.sort](rates.get(id)!);
  const sign = order.dir === "asc" ? 1 : -1;
  const ranked = all
    .map((s, position) => ({ id: s.id, value: value(s.id), position }))
    .sort((a, b) => {
      if (a.value === null || b.value === null) return a.value === b.value ? a.position - b.position : a.value === null ? 1 : -1;
      return a.value === b.value ? a.position - b.position : sign * (a.value - b.value);
    });
  return ranked.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((r) => r.id);
}
