/**
 * Properties of planNextSend over many zones and every DST change of 2026–2027.
 * The checks use Temporal directly, not the planner's helpers.
 */
import fc from "fast-check";
import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import { planNextSend } from "@/lib/schedule";
import type { Delay, HolidayCalendar, PlanInput, SendSchedule } from "@/lib/schedule/types";
import { delayArb, dstCorner, holidaysArb, HOUR, scheduleArb, TRANSITIONS, zoneAndInstant } from "./arbitraries";

const RUNS = { numRuns: 600 };

const local = (ms: number, zone: string) => Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone).toPlainDateTime();

/** The least instant the delay allows, computed the plain way (for gaps and overlaps, the earliest reading). */
function delayFloor(from: number, delay: Delay, zone: string): number {
  if ("until" in delay) {
    const until =
      "instant" in delay.until
        ? Temporal.Instant.from(delay.until.instant).epochMilliseconds
        : Temporal.PlainDateTime.from(delay.until.local).toZonedDateTime(delay.until.zone ?? zone, { disambiguation: "earlier" }).epochMilliseconds;
    return Math.max(from, until);
  }
  if (delay.unit === "minutes") return from + delay.amount * 60_000;
  if (delay.unit === "hours") return from + delay.amount * HOUR;
  if (delay.unit === "days") {
    return local(from, zone).add({ days: delay.amount }).toZonedDateTime(zone, { disambiguation: "earlier" }).epochMilliseconds;
  }
  return from; // business days: checked by counting dates below
}

function isOpenDate(date: Temporal.PlainDate, schedule: SendSchedule | null, holidays: HolidayCalendar | null): boolean {
  const days = schedule?.days ?? [1, 2, 3, 4, 5];
  return days.includes(date.dayOfWeek as never) && (schedule === null || holidays?.nameOn(date.toString()) == null);
}

function insideSchedule(ms: number, zone: string, schedule: SendSchedule, holidays: HolidayCalendar | null): boolean {
  const wall = local(ms, zone);
  const time = wall.toPlainTime();
  return (
    isOpenDate(wall.toPlainDate(), schedule, holidays) &&
    Temporal.PlainTime.compare(time, Temporal.PlainTime.from(schedule.window.start)) >= 0 &&
    Temporal.PlainTime.compare(time, Temporal.PlainTime.from(schedule.window.end)) <= 0
  );
}

const anywhere = fc
  .record({
    start: zoneAndInstant,
    delay: delayArb,
    schedule: fc.option(scheduleArb, { freq: 5 }),
    holidays: holidaysArb,
    nowOffset: fc.integer({ min: -72 * 60, max: 72 * 60 }),
  })
  .map(({ start, delay, schedule, holidays, nowOffset }) => ({
    input: {
      from: new Date(start.ms),
      delay,
      schedule,
      zone: start.zone,
      holidays: schedule ? holidays : null,
      now: new Date(start.ms + nowOffset * 60_000),
    } satisfies PlanInput,
  }));

const nearDst = fc.tuple(dstCorner, fc.integer({ min: -120, max: 120 })).map(([corner, nowOffset]) => ({
  input: {
    from: new Date(corner.ms),
    delay: corner.delay,
    schedule: corner.schedule,
    zone: corner.zone,
    holidays: null,
    now: new Date(corner.ms + nowOffset * 60_000),
  } satisfies PlanInput,
}));

const inputArb = fc.oneof(anywhere, nearDst);

// Thousands of plans per test: generous timeouts for a loaded machine.
describe("planNextSend properties", { timeout: 120_000 }, () => {
  it("covers DST changes in every listed zone that has them", () => {
    const zonesWithChanges = new Set(TRANSITIONS.map((t) => t.zone));
    for (const zone of ["America/New_York", "Europe/London", "Australia/Lord_Howe", "America/Santiago", "Pacific/Chatham"]) {
      expect(zonesWithChanges.has(zone), zone).toBe(true);
    }
  });

  it("never plans before the delay has passed, nor before now", () => {
    fc.assert(
      fc.property(inputArb, ({ input }) => {
        const at = planNextSend(input).at.getTime();
        expect(at).toBeGreaterThanOrEqual(input.from.getTime());
        expect(at).toBeGreaterThanOrEqual(input.now.getTime());
        expect(at).toBeGreaterThanOrEqual(delayFloor(input.from.getTime(), input.delay, input.zone));
      }),
      RUNS,
    );
  });

  it("counts at least N sending days for an N-business-day delay", () => {
    const businessArb = inputArb.filter(({ input }) => "unit" in input.delay && input.delay.unit === "business_days");
    fc.assert(
      fc.property(businessArb, ({ input }) => {
        const { amount } = input.delay as { amount: number };
        const at = planNextSend(input).at.getTime();
        let date = local(input.from.getTime(), input.zone).toPlainDate();
        const last = local(at, input.zone).toPlainDate();
        let counted = 0;
        while (Temporal.PlainDate.compare(date, last) < 0) {
          date = date.add({ days: 1 });
          if (isOpenDate(date, input.schedule, input.holidays)) counted++;
        }
        expect(counted).toBeGreaterThanOrEqual(amount);
      }),
      RUNS,
    );
  });

  it("always plans on a sending day, not a holiday, inside the window, in the contact's zone", () => {
    const scheduled = inputArb.filter(({ input }) => input.schedule !== null);
    fc.assert(
      fc.property(scheduled, ({ input }) => {
        const at = planNextSend(input).at.getTime();
        expect(insideSchedule(at, input.zone, input.schedule!, input.holidays), local(at, input.zone).toString()).toBe(true);
      }),
      RUNS,
    );
  });

  it("is monotonic: a later start or a later now never plans earlier", () => {
    fc.assert(
      fc.property(inputArb, fc.oneof(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 36 * 60 })), fc.boolean(), ({ input }, laterBy, moveNow) => {
        const later = moveNow
          ? { ...input, now: new Date(input.now.getTime() + laterBy * 60_000) }
          : { ...input, from: new Date(input.from.getTime() + laterBy * 60_000) };
        expect(planNextSend(later).at.getTime()).toBeGreaterThanOrEqual(planNextSend(input).at.getTime());
      }),
      RUNS,
    );
  });

  it("is monotonic around DST changes, minute by minute", () => {
    // Dense on purpose: the gap and repeated-hour rules only matter for starts within
    // an hour or two of a change, against a window whose edge sits in that hour.
    fc.assert(
      fc.property(dstCorner, fc.integer({ min: 1, max: 90 }), (corner, laterBy) => {
        const input: PlanInput = { ...corner, from: new Date(corner.ms), holidays: null, now: new Date(corner.ms - 60 * 60_000) };
        const later = { ...input, from: new Date(corner.ms + laterBy * 60_000) };
        expect(planNextSend(later).at.getTime()).toBeGreaterThanOrEqual(planNextSend(input).at.getTime());
      }),
      { numRuns: 3000 },
    );
  });

  it("is earliest: when the delay ends inside the schedule, that is the send time", () => {
    const exact = inputArb.filter(({ input }) => "unit" in input.delay && (input.delay.unit === "minutes" || input.delay.unit === "hours"));
    fc.assert(
      fc.property(exact, ({ input }) => {
        const floor = Math.max(delayFloor(input.from.getTime(), input.delay, input.zone), input.now.getTime());
        const wall = local(floor, input.zone);
        const firstReading = wall.toZonedDateTime(input.zone, { disambiguation: "earlier" }).epochMilliseconds;
        const open = input.schedule === null || insideSchedule(floor, input.zone, input.schedule, input.holidays);
        fc.pre(open && firstReading === floor); // the second pass of a repeated hour is never used
        expect(planNextSend(input).at.getTime()).toBe(floor);
      }),
      RUNS,
    );
  });
});
