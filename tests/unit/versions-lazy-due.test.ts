/**
 * The preview's shortcuts (lib/sequences/versions/lazy-due.ts) give exactly
 * what planning every contact gives: the same "overdue" for each and the
 * same earliest due time, around DST changes, with and without a schedule.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stepDue, type ScheduleContext } from "../../lib/sequences/versions/due";
import { earliestDue, settleOverdue } from "../../lib/sequences/versions/lazy-due";
import { migrate } from "../../lib/sequences/versions/migrate";
import type { VersionStep } from "../../lib/sequences/versions/plan";
import { HOUR, scheduleArb, zoneAndInstant } from "./schedule/arbitraries";

const delay = fc.oneof(
  fc.record({ amount: fc.integer({ min: 0, max: 3000 }), unit: fc.constant("minutes" as const) }),
  fc.record({ amount: fc.integer({ min: 0, max: 72 }), unit: fc.constant("hours" as const) }),
  fc.record({ amount: fc.integer({ min: 0, max: 10 }), unit: fc.constant("days" as const) }),
);

describe("lazy due times in a preview", () => {
  it("settleOverdue and earliestDue agree with planning every contact", () => {
    fc.assert(
      fc.property(
        zoneAndInstant,
        delay,
        fc.option(scheduleArb),
        fc.array(fc.integer({ min: -72 * 60, max: 72 * 60 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: -24 * 60, max: 10 * 24 * 60 }),
        ({ zone, ms }, d, schedule, offsets, nowOffset) => {
          const steps: VersionStep[] = [
            { id: "s1", position: 0, createdAt: 0, delayAmount: 0, delayUnit: "days", deleted: false },
            { id: "s2", position: 1, createdAt: 1, delayAmount: 1, delayUnit: "days", deleted: false },
            { id: "s3", position: 2, createdAt: 2, delayAmount: d.amount, delayUnit: d.unit, deleted: false },
          ];
          // Step 2 deleted: everyone waiting on it moves on to step 3 (planned lazily).
          const next = steps.map((s) => (s.id === "s2" ? { ...s, deleted: true } : s));
          const rules: ScheduleContext = { schedule, holidays: null };
          const now = new Date(ms + nowOffset * 60_000);
          const memo = new Map();
          const anchors = offsets.map((o) => new Date(ms + o * 60_000));
          const lazy = anchors.map((anchor) =>
            migrate({ waitingStepId: "s2", done: new Set(["s1"]), anchor, zone, plannedDue: new Date(ms + HOUR) }, steps, next, { insertedBehind: "skip" }, { now, before: rules, after: rules, memo }),
          );
          settleOverdue(lazy);
          const first = earliestDue(lazy);
          const eager = anchors.map((anchor) => stepDue(anchor, next[2], zone, { now, rules }));
          expect(lazy.map((m) => m.overdue)).toEqual(eager.map((p) => p.due.getTime() <= now.getTime()));
          expect(first).toEqual(new Date(Math.min(...eager.map((p) => p.at.getTime()))));
          expect(lazy.map((m) => m.to?.dueAt)).toEqual(eager.map((p) => p.at));
        },
      ),
      { numRuns: 200 },
    );
    // Planning every contact of every run takes seconds on a loaded machine.
  }, 60_000);
});
