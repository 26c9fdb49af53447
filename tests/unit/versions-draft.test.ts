/** Drafts' pure parts: the edits on a step list, its differences from the live steps, the preview's sentences. */
import { describe, expect, it } from "vitest";
import { diffSteps, summarizeDiff } from "../../lib/sequences/versions/diff";
import { draftAdd, draftDelete, draftReorder, draftUpdate, liveDraftSteps, type DraftStep } from "../../lib/sequences/versions/draft";
import { describeGroup, type MoveGroup } from "../../lib/sequences/versions/preview-groups";

const step = (id: string, position: number, extra: Partial<DraftStep> = {}): DraftStep => ({
  id, position, createdAt: position, delayAmount: 1, delayUnit: "days", waitUntil: null, deleted: false, subject: id.toUpperCase(), body: `${id} body`, added: false, ...extra,
});
const live = [step("a", 0), step("b", 1), step("c", 2), step("gone", 1, { deleted: true })];
const fields = { subject: "New", body: "n", delayAmount: 2, delayUnit: "hours" as const };

describe("draft edits", () => {
  it("adds after the last live step, under the given id", () => {
    const next = draftAdd(live, fields, "n", 99);
    expect(liveDraftSteps(next).map((s) => s.id)).toEqual(["a", "b", "c", "n"]);
    expect(next.at(-1)).toMatchObject({ id: "n", position: 3, added: true, waitUntil: null });
  });

  it("updates the given fields and keeps the ones left out", () => {
    const withDate = draftUpdate(live, "b", { ...fields, waitUntil: "2026-12-24T09:00" });
    expect(draftUpdate(withDate, "b", fields).find((s) => s.id === "b")).toMatchObject({ subject: "New", waitUntil: "2026-12-24T09:00" });
    expect(() => draftUpdate(live, "gone", fields)).toThrow(/no longer exists/);
  });

  it("soft-deletes a published step, drops a step added in the draft, keeps one step in an active sequence", () => {
    expect(draftDelete(live, "b", "active").find((s) => s.id === "b")?.deleted).toBe(true);
    const added = draftAdd(live, fields, "n", 99);
    expect(draftDelete(added, "n", "active").some((s) => s.id === "n")).toBe(false);
    const one = [step("a", 0)];
    expect(() => draftDelete(one, "a", "active")).toThrow(/at least one step/);
    expect(draftDelete(one, "a", "paused")[0].deleted).toBe(true);
  });

  it("reorders exactly the live steps, or refuses", () => {
    expect(liveDraftSteps(draftReorder(live, ["c", "a", "b"])).map((s) => s.id)).toEqual(["c", "a", "b"]);
    expect(() => draftReorder(live, ["c", "a"])).toThrow(/changed since/);
    expect(() => draftReorder(live, ["c", "a", "gone"])).toThrow(/changed since/);
  });
});

describe("a draft's differences", () => {
  it("an insertion at the top adds one step and moves none", () => {
    const draft = draftReorder(draftAdd(live, fields, "n", 99), ["n", "a", "b", "c"]);
    expect(diffSteps(live, draft)).toEqual([{ kind: "added", stepId: "n", subject: "New", number: 1 }]);
  });

  it("names removed, changed and moved steps by their numbers", () => {
    const draft = draftReorder(draftUpdate(draftDelete(live, "a", "paused"), "c", { ...fields, subject: "C" }), ["c", "b"]);
    const diff = diffSteps(live, draft);
    expect(diff).toEqual([
      { kind: "removed", stepId: "a", subject: "A", number: 1 },
      { kind: "changed", stepId: "c", subject: "C", number: 1, fields: ["body", "delay"] },
      { kind: "moved", stepId: "c", subject: "C", from: 3, to: 1 },
    ]);
    expect(summarizeDiff(diff)).toBe("Deleted step 1 · Edited step 1 (body, delay) · Moved step 3 to 1");
    expect(summarizeDiff([])).toBe("Published without step changes");
  });

  it("a body saved again unchanged is not an edit: the migration's JSON, plain text and the editor's tokens say the same", () => {
    // As the migration wrote it (PostgreSQL's jsonb spacing and key order), and as the step form saves it back.
    const migrated = '{"type": "doc", "content": [{"type": "paragraph", "content": [{"text": "Hi {{firstName}}", "type": "text"}]}]}';
    const saved = JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Hi " }, { type: "mergeTag", attrs: { key: "firstName", fallback: null } }] }] });
    const before = [step("a", 0, { body: migrated }), step("b", 1, { body: "Plain {{company}}" })];
    const resaved = draftUpdate(draftUpdate(before, "a", { ...fields, subject: "A", body: saved, delayAmount: 1, delayUnit: "days" }), "b", { ...fields, subject: "B", body: JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Plain " }, { type: "mergeTag", attrs: { key: "company", fallback: null } }] }] }), delayAmount: 1, delayUnit: "days" });
    expect(diffSteps(before, resaved)).toEqual([]);
    const edited = draftUpdate(before, "a", { ...fields, subject: "A", body: saved.replace("Hi ", "Hello "), delayAmount: 1, delayUnit: "days" });
    expect(diffSteps(before, edited)).toEqual([{ kind: "changed", stepId: "a", subject: "A", number: 1, fields: ["body"] }]);
  });
});

describe("the preview's sentences", () => {
  const base: MoveGroup = { kind: "unchanged", count: 412, overdue: 0, passing: 0, from: null, to: null, firstDue: null };
  const fmt = (d: Date) => d.toISOString().slice(0, 16);
  it("reads like the issue's example", () => {
    expect(describeGroup(base, fmt)).toBe("412 unchanged");
    const moved: MoveGroup = { ...base, kind: "moved_from_deleted", count: 38, from: { number: 4, subject: "D" }, to: { number: 5, subject: "E" }, firstDue: new Date("2026-12-03T09:00:00Z") };
    expect(describeGroup(moved, fmt)).toBe("38 waiting on deleted step 4 → step 5, due 2026-12-03T09:00");
    const overdue: MoveGroup = { ...base, kind: "due_changed", count: 5, overdue: 5, to: { number: 3, subject: "C" }, firstDue: new Date("2026-12-01T10:00:00Z") };
    expect(describeGroup(overdue, fmt)).toBe("5 waiting on step 3 rescheduled under the new delay, due 2026-12-01T10:00 (5 overdue → sent within a minute)");
    expect(describeGroup({ ...moved, to: null, firstDue: null }, fmt)).toBe("38 waiting on deleted step 4 → nothing left: they complete the sequence");
  });
});
