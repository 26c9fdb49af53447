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

/** One contact's plan for one step, made on first use (a class: one object per contact, no closures). */
class Pending {
  private result: PlanResult | undefined;
  private settled: boolean | undefined;
  constructor(
    readonly anchor: Date,
    readonly step: VersionStep,
    readonly zone: string,
    readonly clock: PlanClock,
  ) {}

  plan(): PlanResult {
    return (this.result ??= stepDue(this.anchor, this.step, this.zone, this.clock));
  }

  /** Whether "overdue" is known without planning (planned already, or settled). */
  known(): boolean {
    return this.result !== undefined || this.settled !== undefined;
  }

  settle(overdue: boolean): void {
    this.settled = overdue;
  }

  /** The delay alone has run out: sent at the next moment the schedule allows. */
  overdue(): boolean {
    return (this.settled ??= this.plan().due.getTime() <= this.clock.now.getTime());
  }
}

/** Each lazily planned migration's plan, out of sight of equality checks and JSON. */
const pendingByMigration = new WeakMap<object, Pending>();

/** A lazy plan for `step`; `to` reads its time when first asked; `mark` registers the migration holding it. */
export function lazyDue(anchor: Date, step: VersionStep, zone: string, clock: PlanClock) {
  const pending = new Pending(anchor, step, zone, clock);
  return {
    pending,
    to: {
      stepId: step.id,
      get dueAt(): Date {
        return pending.plan().at;
      },
    },
  };
}

export function markLazy<T extends object>(migration: T, pending: Pending): T {
  pendingByMigration.set(migration, pending);
  return migration;
}

function pendingOf(migration: object): Pending | undefined {
  return pendingByMigration.get(migration);
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
    const open = bucket.filter(({ pending }) => !pending.known() && pending.step.delayUnit !== "business_days");
    if (open.length < 2) continue;
    open.sort((a, b) => a.pending.anchor.getTime() - b.pending.anchor.getTime());
    const isOverdue = (i: number) => {
      const { pending } = open[i];
      return pending.plan().due.getTime() <= pending.clock.now.getTime();
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
