/**
 * The planner remembers parsed windows and window openings, and skips
 * converting instants whose wall time it already knows. None of that may change
 * an answer: the planner is compared, plan for plan (time, due time, reasons),
 * with its earlier straightforward version (./reference), over random inputs,
 * each planned twice so that the second answer comes from warm caches, and
 * interleaved so that entries made for one zone, window or date are looked up
 * for others.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planNextSend } from "@/lib/schedule";
import type { Delay, PlanInput } from "@/lib/schedule/types";
import { delayArb, dstCorner, holidaysArb, scheduleArb, ZONES, zoneAndInstant } from "./arbitraries";
import { planNextSend as referencePlan } from "./reference/plan";

const plain = (input: PlanInput) => {
  try {
    const r = planNextSend(input);
    return { at: r.at.toISOString(), due: r.due.toISOString(), zone: r.zone, reasons: r.reasons };
  } catch (error) {
    return { error: String(error) };
  }
};
const reference = (input: PlanInput) => {
  try {
    const r = referencePlan(input);
    return { at: r.at.toISOString(), due: r.due.toISOString(), zone: r.zone, reasons: r.reasons };
  } catch (error) {
    return { error: String(error) };
  }
};

/** Wall-clock "wait until" times, in the planning zone or in another one. */
const untilLocalArb: fc.Arbitrary<Delay> = fc
  .record({
    ms: fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) }),
    zone: fc.option(fc.constantFrom(...ZONES)),
  })
  .map(({ ms, zone }) => ({ until: { local: new Date(ms).toISOString().slice(0, 16), ...(zone ? { zone } : {}) } }));

const inputArb: fc.Arbitrary<PlanInput> = fc.oneof(
  fc
    .record({
      start: zoneAndInstant,
      delay: fc.oneof(delayArb, untilLocalArb),
      schedule: fc.option(scheduleArb, { freq: 5 }),
      holidays: holidaysArb,
      nowOffset: fc.integer({ min: -72 * 60, max: 72 * 60 }),
    })
    .map(({ start, delay, schedule, holidays, nowOffset }) => ({
      from: new Date(start.ms),
      delay,
      schedule,
      zone: start.zone,
      holidays: schedule ? holidays : null,
      now: new Date(start.ms + nowOffset * 60_000),
    })),
  fc.tuple(dstCorner, fc.integer({ min: -120, max: 120 })).map(([corner, nowOffset]) => ({
    from: new Date(corner.ms),
    delay: corner.delay,
    schedule: corner.schedule,
    zone: corner.zone,
    holidays: null,
    now: new Date(corner.ms + nowOffset * 60_000),
  })),
);

describe("the faster planner gives the reference planner's answers", { timeout: 120_000 }, () => {
  it("for random inputs, cold and warm, across zones, windows and DST changes", () => {
    fc.assert(
      fc.property(fc.array(inputArb, { minLength: 1, maxLength: 8 }), (inputs) => {
        for (const input of [...inputs, ...inputs]) expect(plain(input)).toEqual(reference(input));
      }),
      { numRuns: 400 },
    );
  });

  it("for one date's openings asked in many zones and windows (cache keys)", () => {
    const from = new Date(Date.UTC(2026, 2, 28, 20, 0)); // the weekend Europe changes clocks
    for (const zone of ZONES) {
      for (const start of ["00:30", "01:00", "02:00", "02:30", "03:00", "09:00"] as const) {
        const schedule = { days: [1, 2, 3, 4, 5, 6, 7] as (1 | 2 | 3 | 4 | 5 | 6 | 7)[], window: { start, end: "23:00" as const }, timezone: "UTC", holidayCountry: null };
        const input: PlanInput = { from, delay: { amount: 1, unit: "hours" }, schedule, zone, holidays: null, now: from };
        expect(plain(input)).toEqual(reference(input));
      }
    }
  });
});
