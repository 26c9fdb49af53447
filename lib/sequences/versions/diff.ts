/**
 * What a draft changes compared with the live steps: added, removed,
 * changed (which fields) and moved steps, for the builder and for the
 * version's one-line summary. Pure.
 */
import { liveDraftSteps, type DraftStep } from "./draft";
import { sameBody } from "../../email/body-doc";

export type DiffEntry =
  | { kind: "added"; stepId: string; subject: string; number: number }
  | { kind: "removed"; stepId: string; subject: string; number: number }
  | { kind: "changed"; stepId: string; subject: string; number: number; fields: ("subject" | "body" | "delay")[] }
  | { kind: "moved"; stepId: string; subject: string; from: number; to: number };

/** `live` and `draft` as the builder numbers them: live steps in run order. */
export function diffSteps(live: readonly DraftStep[], draft: readonly DraftStep[]): DiffEntry[] {
  const before = liveDraftSteps(live);
  const after = liveDraftSteps(draft);
  const afterIds = new Set(after.map((s) => s.id));
  const beforeById = new Map(before.map((s, i) => [s.id, { step: s, number: i + 1 }]));
  const entries: DiffEntry[] = [];
  before.forEach((s, i) => {
    if (!afterIds.has(s.id)) entries.push({ kind: "removed", stepId: s.id, subject: s.subject, number: i + 1 });
  });
  // Moves are judged among the steps both sides keep, so one insertion does not "move" every later step.
  const keptBefore = before.filter((s) => afterIds.has(s.id)).map((s) => s.id);
  const keptAfter = after.filter((s) => beforeById.has(s.id)).map((s) => s.id);
  after.forEach((s, i) => {
    const old = beforeById.get(s.id);
    if (!old) {
      entries.push({ kind: "added", stepId: s.id, subject: s.subject, number: i + 1 });
      return;
    }
    const fields: ("subject" | "body" | "delay")[] = [];
    if (old.step.subject !== s.subject) fields.push("subject");
    if (!sameBody(old.step.body, s.body)) fields.push("body");
    if (old.step.delayAmount !== s.delayAmount || old.step.delayUnit !== s.delayUnit || (old.step.waitUntil ?? null) !== (s.waitUntil ?? null)) fields.push("delay");
    if (fields.length > 0) entries.push({ kind: "changed", stepId: s.id, subject: s.subject, number: i + 1, fields });
    // A step whose number stays the same reads as not moved, even if its neighbours swapped around it.
    if (keptBefore.indexOf(s.id) !== keptAfter.indexOf(s.id) && old.number !== i + 1) entries.push({ kind: "moved", stepId: s.id, subject: s.subject, from: old.number, to: i + 1 });
  });
  return entries;
}

/** The version's summary line: "Added step 3 · Deleted step 4 · Edited step 2 (delay)". */
export function summarizeDiff(entries: readonly DiffEntry[]): string {
  if (entries.length === 0) return "Published without step changes";
  const parts = entries.map((e) => {
    switch (e.kind) {
      case "added":
        return `Added step ${e.number}`;
      case "removed":
        return `Deleted step ${e.number}`;
      case "changed":
        return `Edited step ${e.number} (${e.fields.join(", ")})`;
      case "moved":
        return `Moved step ${e.from} to ${e.to}`;
    }
  });
  const text = parts.join(" · ");
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
