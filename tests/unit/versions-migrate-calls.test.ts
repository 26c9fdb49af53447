/**
 * How many schedule computations one migration costs: a contact sent back to
 * an inserted step ("also send") is planned for that step only, not also for
 * the step it would otherwise have waited on.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";

const calls = vi.hoisted(() => ({ count: 0 }));
vi.mock("../../lib/schedule/plan", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/schedule/plan")>();
  return {
    ...real,
    planNextSend: (...args: Parameters<typeof real.planNextSend>) => {
      calls.count++;
      return real.planNextSend(...args);
    },
  };
});

import { ANY_TIME } from "../../lib/sequences/versions/due";
import { migrate } from "../../lib/sequences/versions/migrate";
import type { EnrollmentState, VersionStep } from "../../lib/sequences/versions/plan";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 11, 1, 9);
const at = (ms: number) => new Date(T0 + ms);
const v1: VersionStep[] = [0, 1, 2].map((d, i) => ({ id: `s${i + 1}`, position: i, createdAt: i, delayAmount: d, delayUnit: "days", deleted: false }));
const welcome: VersionStep = { id: "new", position: -1, createdAt: 9, delayAmount: 2, delayUnit: "days", deleted: false };
/** Sent s1 at day 0, waiting on s2, its run planned for day 1. */
const waitingOn2: EnrollmentState = { waitingStepId: "s2", done: new Set(["s1"]), anchor: at(0), zone: "UTC", plannedDue: at(DAY) };

describe("migrate: schedule computations", () => {
  beforeEach(() => {
    calls.count = 0;
  });

  it("a backfilled contact whose step was deleted: one computation, for the inserted step", () => {
    const v2 = [...v1.map((s) => (s.id === "s2" ? { ...s, deleted: true } : s)), welcome];
    const m = migrate(waitingOn2, v1, v2, { insertedBehind: "send" }, { now: at(DAY / 2), before: ANY_TIME, after: ANY_TIME });
    expect(m).toMatchObject({ group: "backfilled", from: { stepId: "s2", dueAt: at(DAY) }, to: { stepId: "new", dueAt: at(2 * DAY) } });
    expect(calls.count).toBe(1);
  });

  it("a backfilled contact that keeps its step: its old time and the inserted step's, nothing more", () => {
    const m = migrate(waitingOn2, v1, [...v1, welcome], { insertedBehind: "send" }, { now: at(DAY / 2), before: ANY_TIME, after: ANY_TIME });
    expect(m).toMatchObject({ group: "backfilled", from: { stepId: "s2", dueAt: at(DAY) }, to: { stepId: "new", dueAt: at(2 * DAY) } });
    expect(calls.count).toBe(2);
  });

  it("a contact that moves on from a deleted step: one computation, for the step it moves to", () => {
    const v2 = v1.map((s) => (s.id === "s2" ? { ...s, deleted: true } : s));
    const m = migrate(waitingOn2, v1, v2, { insertedBehind: "skip" }, { now: at(DAY / 2), before: ANY_TIME, after: ANY_TIME });
    expect(m).toMatchObject({ group: "moved_from_deleted", to: { stepId: "s3", dueAt: at(2 * DAY) } });
    expect(calls.count).toBe(1);
  });
});
