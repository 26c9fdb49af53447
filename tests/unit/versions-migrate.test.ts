/**
 * The migration rules (docs/versions.md), one test per kind of change, and a
 * property test: random sequences, random edit scripts interleaved with
 * sends over many enrollments.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Temporal } from "temporal-polyfill";
import type { ScheduleContext } from "../../lib/sequences/versions/due";
import { ANY_TIME } from "../../lib/sequences/versions/due";
import { DEFAULT_POLICY, migrate, type MigrationPolicy } from "../../lib/sequences/versions/migrate";
import { inRunOrder, waitingStep, type EnrollmentState, type VersionStep } from "../../lib/sequences/versions/plan";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 11, 1, 9);
const at = (ms: number) => new Date(T0 + ms);

function steps(...delays: number[]): VersionStep[] {
  return delays.map((d, i) => ({ id: `s${i + 1}`, position: i, createdAt: i, delayAmount: d, delayUnit: "days", deleted: false }));
}
const edit = (v: VersionStep[], id: string, change: Partial<VersionStep>) => v.map((s) => (s.id === id ? { ...s, ...change } : s));
/** Sent s1 and s2 (the last at day 1), waiting on s3. */
const waitingOn3: EnrollmentState = { waitingStepId: "s3", done: new Set(["s1", "s2"]), anchor: at(DAY), zone: "UTC" };
/** Migrating at `ms` with no schedule on either side. */
const when = (ms: number) => ({ now: at(ms), before: ANY_TIME, after: ANY_TIME });

describe("migrate: one default per kind of change", () => {
  const v1 = steps(0, 1, 2, 1);
  const SEND: MigrationPolicy = { insertedBehind: "send" };

  it("\"also send to contacts already past it\": the inserted step is their next, its delay counted from the last send; a moved step stays passed", () => {
    const welcome = { id: "new", position: -1, createdAt: 9, delayAmount: 2, delayUnit: "days" as const, deleted: false };
    const m = migrate(waitingOn3, v1, [...v1, welcome], SEND, when(2 * DAY));
    expect(m).toMatchObject({ group: "backfilled", from: { stepId: "s3" }, to: { stepId: "new", dueAt: at(3 * DAY) }, overdue: false, passed: [] });
    // Then back to the step they waited on, after the inserted one: its delay counts from that send.
    const next = waitingStep({ ...waitingOn3, waitingStepId: "new", done: new Set(["s1", "s2", "new"]), anchor: at(3 * DAY) }, [...v1, welcome], { now: at(3 * DAY), rules: ANY_TIME });
    expect(next).toMatchObject({ step: { id: "s3" }, dueAt: at(5 * DAY) });
    // An unsent step moved behind them is still passed, whatever the policy.
    const moved = edit(v1, "s4", { position: -1 });
    expect(migrate(waitingOn3, v1, moved, SEND, when(DAY))).toMatchObject({ group: "unchanged", passed: [{ stepId: "s4", reason: "moved_behind" }] });
  });

  it("\"also send\" with several inserted steps: the first in run order, the others follow it", () => {
    const a = { id: "a", position: -2, createdAt: 9, delayAmount: 0, delayUnit: "days" as const, deleted: false };
    const b = { id: "b", position: 1.5, createdAt: 10, delayAmount: 0, delayUnit: "days" as const, deleted: false };
    const m = migrate(waitingOn3, v1, [...v1, b, a], SEND, when(2 * DAY));
    expect(m).toMatchObject({ group: "backfilled", to: { stepId: "a", dueAt: at(2 * DAY) }, overdue: true });
    const after = waitingStep({ ...waitingOn3, waitingStepId: "a", done: new Set(["s1", "s2", "a"]), anchor: at(2 * DAY) }, [...v1, b, a], { now: at(2 * DAY), rules: ANY_TIME });
    expect(after?.step.id).toBe("b");
  });

  it("a step inserted behind the contact is not sent to them, and is recorded as passed", () => {
    const v2 = [...v1, { id: "new", position: -1, createdAt: 9, delayAmount: 0, delayUnit: "days" as const, deleted: false }];
    const m = migrate(waitingOn3, v1, v2, DEFAULT_POLICY, when(DAY));
    expect(m).toMatchObject({ group: "unchanged", to: { stepId: "s3", dueAt: at(3 * DAY) }, passed: [{ stepId: "new", reason: "inserted_behind" }] });
  });

  it("a step inserted ahead of the contact is sent to them in its place", () => {
    const v2 = [...v1, { id: "new", position: 2.5, createdAt: 9, delayAmount: 0, delayUnit: "days" as const, deleted: false }];
    const m = migrate(waitingOn3, v1, v2, DEFAULT_POLICY, when(DAY));
    expect(m.group).toBe("unchanged");
    expect(m.passed).toEqual([]);
    // After s3 is sent, the new step comes next.
    const next = waitingStep({ ...waitingOn3, done: new Set(["s1", "s2", "s3"]), anchor: at(3 * DAY) }, v2, { now: at(3 * DAY), rules: ANY_TIME });
    expect(next?.step.id).toBe("new");
  });

  it("a contact waiting on a deleted step moves to the next surviving step, its delay counted from the last send", () => {
    const v2 = edit(v1, "s3", { deleted: true });
    const m = migrate(waitingOn3, v1, v2, DEFAULT_POLICY, when(DAY + 1));
    expect(m).toMatchObject({ group: "moved_from_deleted", from: { stepId: "s3" }, to: { stepId: "s4", dueAt: at(2 * DAY) }, overdue: false });
  });

  it("... and is sent at once when that time has passed", () => {
    const v2 = edit(v1, "s3", { deleted: true });
    expect(migrate(waitingOn3, v1, v2, DEFAULT_POLICY, when(2.5 * DAY))).toMatchObject({ to: { stepId: "s4", dueAt: at(2.5 * DAY) }, overdue: true });
  });

  it("deleting the last step a contact waits on leaves nothing: the run completes", () => {
    const state = { ...waitingOn3, waitingStepId: "s4", done: new Set(["s1", "s2", "s3"])};
    expect(migrate(state, v1, edit(v1, "s4", { deleted: true }), DEFAULT_POLICY, when(DAY))).toMatchObject({ group: "moved_from_deleted", to: null });
  });

  it("a changed delay is recomputed from the same anchor, shorter or longer; overdue means now", () => {
    expect(migrate(waitingOn3, v1, edit(v1, "s3", { delayAmount: 5 }), DEFAULT_POLICY, when(DAY))).toMatchObject({
      group: "due_changed",
      from: { dueAt: at(3 * DAY) },
      to: { dueAt: at(6 * DAY) },
      overdue: false,
    });
    expect(migrate(waitingOn3, v1, edit(v1, "s3", { delayAmount: 0 }), DEFAULT_POLICY, when(1.5 * DAY))).toMatchObject({
      group: "due_changed",
      to: { stepId: "s3", dueAt: at(1.5 * DAY) },
      overdue: true,
    });
  });

  it("a content edit moves nobody (the text is read when the step is sent)", () => {
    expect(migrate(waitingOn3, v1, v1.map((s) => ({ ...s })), DEFAULT_POLICY, when(DAY))).toMatchObject({ group: "unchanged", passed: [] });
  });

  it("a reorder: the contact keeps its step; unsent steps moved before it are passed, the rest follow the new order", () => {
    // New order: s4, s1, s2, s3 (s4 moved to the top, before the contact's place).
    const v2 = v1.map((s) => ({ ...s, position: s.id === "s4" ? 0 : s.position + 1 }));
    const m = migrate(waitingOn3, v1, v2, DEFAULT_POLICY, when(DAY));
    expect(m).toMatchObject({ group: "unchanged", to: { stepId: "s3" }, passed: [{ stepId: "s4", reason: "moved_behind" }] });
    // Moving the contact's own step: it still waits on it, and the steps now after it come next.
    const v3 = v1.map((s) => ({ ...s, position: s.id === "s3" ? 0 : s.position + 1 }));
    const m3 = migrate(waitingOn3, v1, v3, DEFAULT_POLICY, when(DAY));
    expect(m3).toMatchObject({ group: "unchanged", to: { stepId: "s3" }, passed: [] });
  });

  it("a step appended for a contact who had received everything reaches them", () => {
    const done: EnrollmentState = { ...waitingOn3, waitingStepId: "s4", done: new Set(["s1", "s2", "s3", "s4"]), anchor: at(4 * DAY) };
    const v2 = [...v1, { id: "s5", position: 4, createdAt: 9, delayAmount: 1, delayUnit: "days" as const, deleted: false }];
    expect(migrate(done, v1, v2, DEFAULT_POLICY, when(4 * DAY))).toMatchObject({ group: "steps_added", to: { stepId: "s5", dueAt: at(5 * DAY) } });
  });
});

/** A model of many enrollments under random edits and sends, checking the promises after every action. */
type Model = {
  version: VersionStep[];
  enrollments: { state: EnrollmentState; sent: string[]; passed: Map<string, string> }[];
  deletedIn: Map<string, number>;
  now: number;
  nextId: number;
  versionNumber: number;
};

const arbAction = fc.oneof(
  fc.record({ kind: fc.constant("send" as const), who: fc.nat(), wait: fc.nat({ max: 3 * DAY }) }),
  fc.record({ kind: fc.constant("insert" as const), where: fc.nat(), delay: fc.nat({ max: 3 }) }),
  fc.record({ kind: fc.constant("delete" as const), which: fc.nat() }),
  fc.record({ kind: fc.constant("delay" as const), which: fc.nat(), delay: fc.nat({ max: 5 }) }),
  fc.record({ kind: fc.constant("reorder" as const), which: fc.nat(), to: fc.nat() }),
);

function editVersion(model: Model, action: { kind: string; where?: number; delay?: number; which?: number; to?: number }): VersionStep[] {
  const live = inRunOrder(model.version).filter((s) => !s.deleted);
  const pick = (n: number) => live[n % live.length];
  const renumber = (ordered: VersionStep[]) => ordered.map((s, i) => ({ ...s, position: s.deleted ? s.position : i }));
  switch (action.kind) {
    case "insert": {
      const ordered = [...live];
      const step: VersionStep = { id: `n${model.nextId++}`, position: 0, createdAt: model.nextId, delayAmount: action.delay!, delayUnit: "days", deleted: false };
      ordered.splice(action.where! % (live.length + 1), 0, step);
      return [...model.version.filter((s) => s.deleted), ...renumber(ordered)];
    }
    case "delete":
      return live.length <= 1 ? model.version : model.version.map((s) => (s.id === pick(action.which!).id ? { ...s, deleted: true } : s));
    case "delay":
      return model.version.map((s) => (s.id === pick(action.which!).id ? { ...s, delayAmount: action.delay! } : s));
    default: {
      const ordered = [...live];
      const [moved] = ordered.splice(action.which! % live.length, 1);
      ordered.splice(action.to! % (live.length), 0, moved);
      return [...model.version.filter((s) => s.deleted), ...renumber(ordered)];
    }
  }
}

/** Weekdays 09:00–17:00 in New York, or any time. */
const WEEKDAYS_NY: ScheduleContext = {
  schedule: { days: [1, 2, 3, 4, 5], window: { start: "09:00", end: "17:00" }, timezone: "America/New_York", holidayCountry: null },
  holidays: null,
};
function insideWindow(ms: number): boolean {
  const local = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO("America/New_York");
  const minute = local.hour * 60 + local.minute + (local.second > 0 || local.millisecond > 0 ? 0.5 : 0);
  return local.dayOfWeek <= 5 && minute >= 9 * 60 && minute <= 17 * 60;
}

describe("migrate: property", () => {
  it("no step sent twice across versions, none early or outside the window; every step passed is sent, deleted or recorded, and a recorded one is never sent; the plan a run makes after a migration is the migration's; under either policy", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(arbAction, { maxLength: 40 }),
        fc.boolean(),
        fc.constantFrom<MigrationPolicy["insertedBehind"]>("skip", "send"),
        (delays, count, actions, scheduled, insertedBehind) => {
          const policy: MigrationPolicy = { insertedBehind };
          const rules = scheduled ? WEEKDAYS_NY : ANY_TIME;
          const zone = "America/New_York";
          const model: Model = {
            version: steps(...delays),
            enrollments: Array.from({ length: count }, () => ({ state: { waitingStepId: null, done: new Set<string>(), anchor: at(0), zone }, sent: [], passed: new Map() })),
            deletedIn: new Map(),
            now: T0,
            nextId: 0,
            versionNumber: 1,
          };
          for (const action of actions) {
            if (action.kind === "send") {
              const e = model.enrollments[action.who % count];
              model.now += action.wait;
              // A wake-up: plan at this moment, send only what is due (the claim's check).
              const next = waitingStep(e.state, model.version, { now: new Date(model.now), rules });
              if (!next || next.dueAt.getTime() > model.now) continue;
              expect(next.dueAt.getTime()).toBeGreaterThanOrEqual(e.state.anchor.getTime() + next.step.delayAmount * DAY);
              if (scheduled) expect(insideWindow(model.now), `sent at ${new Date(model.now).toISOString()}`).toBe(true);
              expect(e.passed.has(next.step.id), `step ${next.step.id} sent after it was recorded as passed`).toBe(false);
              e.sent.push(next.step.id);
              e.state = { ...e.state, waitingStepId: next.step.id, done: new Set([...e.state.done, next.step.id]), anchor: new Date(model.now) };
              continue;
            }
            const before = model.version;
            const after = editVersion(model, action);
            model.versionNumber++;
            for (const s of after) if (s.deleted && !before.find((b) => b.id === s.id)?.deleted) model.deletedIn.set(s.id, model.versionNumber);
            for (const e of model.enrollments) {
              const m = migrate(e.state, before, after, policy, { now: new Date(model.now), before: rules, after: rules });
              for (const p of m.passed) e.passed.set(p.stepId, p.reason);
              if (insertedBehind === "send") expect(m.passed.filter((p) => p.reason === "inserted_behind")).toEqual([]);
              // As the database loads it (load.ts): a step recorded as passed counts as done.
              e.state = { ...e.state, waitingStepId: m.to?.stepId ?? m.from?.stepId ?? e.state.waitingStepId, done: new Set([...e.state.done, ...m.passed.map((p) => p.stepId)]) };
              // The run re-plans with the same rule and finds the same step and time.
              const replanned = waitingStep(e.state, after, { now: new Date(model.now), rules });
              expect(replanned && { stepId: replanned.step.id, dueAt: replanned.dueAt }).toEqual(m.to);
            }
            model.version = after;
          }
          for (const e of model.enrollments) {
            expect(new Set(e.sent).size).toBe(e.sent.length);
            // Every live step before the contact's place (or all, once done) is sent, deleted or recorded as passed.
            const place = waitingStep(e.state, model.version, { now: new Date(model.now), rules })?.step.id ?? null;
            for (const s of inRunOrder(model.version)) {
              if (s.id === place) break;
              const accounted = e.sent.includes(s.id) || s.deleted || e.passed.has(s.id);
              expect(accounted, `step ${s.id} passed without a reason`).toBe(true);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  }, 120_000);
});
