/**
 * The preview's grouped lines: "412 unchanged · 38 waiting on deleted step
 * 4 → step 5, due 3 Dec 09:00 · 5 overdue under the new delay → sent within
 * a minute". Moves with the same kind, from-step and to-step form one group;
 * its example is the earliest due time. Pure.
 */
import type { DraftStep } from "./draft";
import { earliestDue } from "./lazy-due";
import type { Migration, MigrationGroup } from "./migrate";
import type { PlannedMove } from "./publish";

export type StepLabel = { number: number; subject: string } | null;

export type MoveGroup = {
  kind: MigrationGroup;
  count: number;
  /** Of them, sent at once (the new time has passed). */
  overdue: number;
  /** Of them, with steps they will not get (added or moved before their place). */
  passing: number;
  from: StepLabel;
  to: StepLabel;
  /** The earliest new due time in the group. */
  firstDue: Date | null;
};

const ORDER: MigrationGroup[] = ["unchanged", "due_changed", "moved_from_deleted", "backfilled", "steps_added"];

function labeller(steps: readonly DraftStep[]): (id: string | undefined) => StepLabel {
  const byId = new Map(steps.map((s, i) => [s.id, { number: i + 1, subject: s.subject }]));
  return (id) => (id ? (byId.get(id) ?? null) : null);
}

/** `live` and `draft`: each side's live steps in run order (how the builder numbers them). */
export function groupMoves(moves: readonly PlannedMove[], live: readonly DraftStep[], draft: readonly DraftStep[]): MoveGroup[] {
  const before = labeller(live);
  const after = labeller(draft);
  const groups = new Map<string, MoveGroup>();
  const members = new Map<MoveGroup, Migration[]>();
  for (const { migration: m } of moves) {
    // Unchanged contacts are one group whatever step they wait on.
    const key = m.group === "unchanged" ? "unchanged" : `${m.group}|${m.from?.stepId ?? ""}|${m.to?.stepId ?? ""}`;
    let group = groups.get(key);
    if (!group) {
      group = { kind: m.group, count: 0, overdue: 0, passing: 0, from: m.group === "unchanged" ? null : before(m.from?.stepId), to: m.group === "unchanged" ? null : after(m.to?.stepId), firstDue: null };
      groups.set(key, group);
      members.set(group, []);
    }
    group.count++;
    if (m.overdue && m.group !== "unchanged") group.overdue++;
    if (m.passed.length > 0) group.passing++;
    if (m.group !== "unchanged") members.get(group)!.push(m);
  }
  // Planning one contact per step and zone, not each (lazy-due.ts).
  for (const [group, list] of members) group.firstDue = earliestDue(list);
  return [...groups.values()].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || b.count - a.count);
}

/** One group in words, times formatted by the caller (the page's formatter). */
export function describeGroup(g: MoveGroup, formatDue: (d: Date) => string): string {
  const step = (l: StepLabel, fallback: string) => (l ? `step ${l.number}` : fallback);
  const due = g.firstDue ? `, due ${formatDue(g.firstDue)}` : "";
  const overdue = g.overdue > 0 ? ` (${g.overdue} overdue → sent within a minute)` : "";
  switch (g.kind) {
    case "unchanged":
      return `${g.count} unchanged${g.passing > 0 ? ` (${g.passing} will not get a step added or moved before their place)` : ""}`;
    case "due_changed":
      return `${g.count} waiting on ${step(g.to, "a step")} rescheduled under the new delay${due}${overdue}`;
    case "moved_from_deleted":
      return g.to
        ? `${g.count} waiting on deleted ${step(g.from, "step")} → ${step(g.to, "the next step")}${due}${overdue}`
        : `${g.count} waiting on deleted ${step(g.from, "step")} → nothing left: they complete the sequence`;
    case "backfilled":
      return `${g.count} already past new ${step(g.to, "step")} → sent it too${due}${overdue}`;
    case "steps_added":
      return `${g.count} who had received every step → new ${step(g.to, "step")}${due}${overdue}`;
  }
}
