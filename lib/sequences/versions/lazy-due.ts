/**
 * A migration's new due time, computed on first use. A preview shows counts,
 * each group's earliest time and one page of contacts: planning all 10,000
 * contacts of a sequence for that was most of its time. Publishing reads
 * every due time, so it plans every contact, exactly as before.
 *
 * The counts stay exact without planning everyone because planNextSend is
 * monotonic in its start (docs/schedules.md; tests/unit/schedule's property
 * tests): for one step, zone and schedule, a later anchor never gives an
 * earlier time. So:
 *  - "overdue" (the delay alone has run out by now) holds for a prefix of the
 *    contacts sorted by anchor: a binary search finds its end (settleOverdue);
 *  - a group's earliest due time is the one of its earliest anchor
 *    (earliestDue).
 * Business-day delays are left to plan one by one: the delay's end (`due`)
 * is not covered by the property tests for them.
 */
import type { PlanResult } from "../../schedule/types";
import { stepDue, type PlanClock } from "./due";
import type { VersionStep } from "./plan";

const PENDING = Symbol("pending due");

type Pending = {
  anchor: Date;
  step: VersionStep;
  zone: string;
  clock: PlanClock;
  plan: () => PlanResult;
  planned: () => boolean;
  settle: (overdue: boolean) => void;
};

/** The `to` and `overdue` of a migration, planned when first read. */
export function lazyDue(anchor: Date, step: VersionStep, zone: string, clock: PlanClock) {
  let result: PlanResult | undefined;
  let overdue: boolean | undefined;
  const plan = () => (result ??= stepDue(anchor, step, zone, clock));
  const pending: Pending = { anchor, step, zone, clock, plan, planned: () => result !== undefined || overdue !== undefined, settle: (v) => (overdue = v) };
  return {
    to: {
      stepId: step.id,
      get dueAt(): Date {
        return plan().at;
      },
    },
    /** The delay alone has run out: sent at the next moment the schedule allows. */
    overdue: () => (overdue ??= plan().due.getTime() <= clock.now.getTime()),
    /** Attaches what settleOverdue and earliestDue need, out of sight of equality and JSON. */
    mark<T extends object>(migration: T): T {
      Object.defineProperty(migration, PENDING, { value: pending, enumerable: false });
      return migration;
    },
  };
}

function pendingOf(migration: object): Pending | undefined {
  return (migration as { [PENDING]?: Pending })[PENDING];
}

/** Groups of pending plans that differ only by anchor (same step, zone, rules and clock). */
function bucketsOf<T extends object>(items: readonly T[], pick: (item: T) => object): Map<string, { pending: Pending; item: T }[]> {
  const ids = new Map<unknown, number>();
  const id = (o: unknown) => {
    let n = ids.get(o);
    if (n === undefined) ids.set(o, (n = ids.size));
    return n;
  };
  const buckets = new Map<string, { pending: Pending; item: T }[]>();
  for (const item of items) {
    const pending = pendingOf(pick(item));
    if (!pending) continue;
    const { step, zone, clock } = pending;
    const key = `${step.id}|${step.delayAmount}|${step.delayUnit}|${step.waitUntil ?? ""}|${zone}|${clock.now.getTime()}|${id(clock.rules)}|${id(clock.memo)}`;
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = []));
    bucket.push({ pending, item });
  }
  return buckets;
}

/** Decides every pending migration's "overdue" with a few plans per bucket instead of one per contact. */
export function settleOverdue(migrations: readonly object[]): void {
  for (const bucket of bucketsOf(migrations, (m) => m).values()) {
    const open = bucket.filter(({ pending }) => !pending.planned() && pending.step.delayUnit !== "business_days");
    if (open.length < 2) continue;
    open.sort((a, b) => a.pending.anchor.getTime() - b.pending.anchor.getTime());
    const isOverdue = (i: number) => {
      const { plan, clock } = open[i].pending;
      return plan().due.getTime() <= clock.now.getTime();
    };
    // The first index that is not overdue (open.length when all are).
    let lo = 0;
    let hi = open.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (isOverdue(mid)) lo = mid + 1;
      else hi = mid;
    }
    open.forEach(({ pending }, i) => pending.settle(i < lo));
  }
}

/** The earliest `to.dueAt` among these migrations (null when none has one), planning one per bucket. */
export function earliestDue(migrations: readonly { to: { dueAt: Date } | null }[]): Date | null {
  let earliest: Date | null = null;
  const consider = (d: Date) => {
    if (!earliest || d < earliest) earliest = d;
  };
  const buckets = bucketsOf(migrations, (m) => m);
  for (const bucket of buckets.values()) {
    let first = bucket[0];
    for (const entry of bucket) if (entry.pending.anchor < first.pending.anchor) first = entry;
    consider(first.pending.plan().at);
  }
  for (const m of migrations) if (m.to && !pendingOf(m)) consider(m.to.dueAt);
  return earliest;
}
