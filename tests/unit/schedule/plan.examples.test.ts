/** One example per rule in docs/schedules.md. */
import { describe, expect, it } from "vitest";
import { explainPlan, planNextSend } from "@/lib/schedule";
import { holidayCalendar } from "@/lib/schedule/holidays";
import type { Delay, PlanInput, SendSchedule } from "@/lib/schedule/types";

const WEEKDAYS_9_TO_5: SendSchedule = { days: [1, 2, 3, 4, 5], window: { start: "09:00", end: "17:00" }, timezone: "Europe/Berlin", holidayCountry: null };

function plan(from: string, delay: Delay, options: Partial<PlanInput> = {}) {
  return planNextSend({
    from: new Date(from),
    delay,
    schedule: WEEKDAYS_9_TO_5,
    zone: "Europe/Berlin",
    holidays: null,
    now: new Date(from),
    ...options,
  });
}

describe("delays", () => {
  it("minutes and hours are elapsed time, even across a DST change", () => {
    // 2026-03-29 Berlin springs forward at 02:00; 00:30 + 3 hours elapsed is 04:30 local.
    const result = plan("2026-03-28T23:30:00Z", { amount: 3, unit: "hours" }, { schedule: null });
    expect(result.at.toISOString()).toBe("2026-03-29T02:30:00.000Z");
  });

  it("days keep the wall-clock time across a DST change", () => {
    const result = plan("2026-03-28T09:00:00Z", { amount: 1, unit: "days" }, { schedule: null }); // Sat 10:00 CET
    expect(result.at.toISOString()).toBe("2026-03-29T08:00:00.000Z"); // Sun 10:00 CEST
  });

  it("a fixed local date-time is read in the contact's zone", () => {
    const result = plan("2026-12-01T00:00:00Z", { until: { local: "2026-12-24T10:00" } }, { zone: "America/New_York", schedule: null });
    expect(result.at.toISOString()).toBe("2026-12-24T15:00:00.000Z");
  });

  it("a fixed moment in the past means no wait", () => {
    const result = plan("2026-12-01T10:00:00Z", { until: { instant: "2026-11-01T00:00:00Z" } });
    expect(result.at.toISOString()).toBe("2026-12-01T10:00:00.000Z");
  });
});

describe("business days", () => {
  it("Friday afternoon + 1 business day is Monday at the same time", () => {
    const result = plan("2026-03-06T13:00:00Z", { amount: 1, unit: "business_days" }); // Fri 14:00 Berlin
    expect(result.at.toISOString()).toBe("2026-03-09T13:00:00.000Z");
    expect(result.reasons).toEqual([]);
  });

  it("Friday evening + 1 business day is Monday, inside the window (its last minute)", () => {
    const result = plan("2026-03-06T19:00:00Z", { amount: 1, unit: "business_days" }); // Fri 20:00 Berlin
    expect(result.at.toISOString()).toBe("2026-03-09T16:00:00.000Z"); // Mon 17:00
    expect(result.reasons).toEqual([{ code: "business_clock", local: "2026-03-06T20:00", countedFrom: "17:00" }]);
  });

  it("a Saturday start counts from Friday's close", () => {
    const result = plan("2026-03-07T09:00:00Z", { amount: 1, unit: "business_days" });
    expect(result.at.toISOString()).toBe("2026-03-09T16:00:00.000Z");
  });

  it("public holidays are not business days", () => {
    // Wed 23 Dec + 2 business days in Germany: 24th (a working day), 25th and 26th are holidays/weekend -> Mon 28th.
    const result = plan("2026-12-23T10:00:00Z", { amount: 2, unit: "business_days" }, { holidays: holidayCalendar("DE") });
    expect(result.at.toISOString()).toBe("2026-12-28T10:00:00.000Z");
  });

  it("with no schedule, business days are Monday to Friday", () => {
    const result = plan("2026-03-06T13:00:00Z", { amount: 1, unit: "business_days" }, { schedule: null });
    expect(result.at.toISOString()).toBe("2026-03-09T13:00:00.000Z");
  });
});

describe("the schedule", () => {
  it("a Saturday send moves to Monday at the window's opening, and says why", () => {
    const result = plan("2026-03-06T19:00:00Z", { amount: 1, unit: "days" }); // due Sat 20:00 Berlin
    expect(result.at.toISOString()).toBe("2026-03-09T08:00:00.000Z");
    expect(result.reasons.map((r) => r.code)).toEqual(["non_sending_day", "non_sending_day"]);
    expect(explainPlan(result)).toBe("Saturday is not a sending day → Mon 9 Mar 09:00 Europe/Berlin");
  });

  it("before the window: the same day's opening; after it: the next day's", () => {
    expect(plan("2026-03-10T05:00:00Z", { amount: 0, unit: "minutes" }).at.toISOString()).toBe("2026-03-10T08:00:00.000Z");
    const late = plan("2026-03-10T17:30:00Z", { amount: 0, unit: "minutes" });
    expect(late.at.toISOString()).toBe("2026-03-11T08:00:00.000Z");
    expect(late.reasons[0]).toMatchObject({ code: "outside_window", side: "after", local: "2026-03-10T18:30" });
  });

  it("the window's end is inclusive", () => {
    expect(plan("2026-03-10T16:00:00Z", { amount: 0, unit: "minutes" }).at.toISOString()).toBe("2026-03-10T16:00:00.000Z");
  });

  it("a holiday is skipped, with its name", () => {
    const result = plan("2026-12-24T16:30:00Z", { amount: 0, unit: "minutes" }, { holidays: holidayCalendar("DE") });
    expect(result.at.toISOString()).toBe("2026-12-28T08:00:00.000Z");
    expect(result.reasons.find((r) => r.code === "holiday")).toEqual({ code: "holiday", date: "2026-12-25", name: "Christmas Day" });
  });

  it("a late run sends at the next allowed moment, never in the past", () => {
    const result = plan("2026-03-09T08:00:00Z", { amount: 1, unit: "hours" }, { now: new Date("2026-03-09T18:00:00Z") });
    expect(result.at.toISOString()).toBe("2026-03-10T08:00:00.000Z");
    expect(result.reasons[0]).toEqual({ code: "past_due", due: "2026-03-09T09:00:00Z" });
  });

  it("plans in the zone it is given (Asia/Kathmandu, +05:45)", () => {
    const result = plan("2026-03-10T00:00:00Z", { amount: 0, unit: "minutes" }, { zone: "Asia/Kathmandu" }); // 05:45 local
    expect(result.at.toISOString()).toBe("2026-03-10T03:15:00.000Z"); // 09:00 local
  });
});

describe("DST rules", () => {
  const smallHours: SendSchedule = { ...WEEKDAYS_9_TO_5, days: [1, 2, 3, 4, 5, 6, 7], window: { start: "02:30", end: "05:00" } };

  it("gap: a window opening at 02:30 on the spring-forward night opens at 03:00", () => {
    const result = plan("2026-03-08T05:00:00Z", { amount: 0, unit: "minutes" }, { zone: "America/New_York", schedule: smallHours }); // 00:00 EST
    expect(result.at.toISOString()).toBe("2026-03-08T07:00:00.000Z"); // 03:00 EDT
    expect(result.reasons.at(-1)).toEqual({ code: "dst_gap", requested: "2026-03-08T02:30", actual: "2026-03-08T03:00" });
  });

  it("gap: 1 day after 02:30 lands on a 02:30 that does not exist and sends at 03:00", () => {
    const result = plan("2026-03-07T07:30:00Z", { amount: 1, unit: "days" }, { zone: "America/New_York", schedule: null });
    expect(result.at.toISOString()).toBe("2026-03-08T07:00:00.000Z");
  });

  it("overlap: a 01:30 that happens twice means the first one", () => {
    const result = plan("2026-10-31T00:00:00Z", { until: { local: "2026-11-01T01:30" } }, { zone: "America/New_York", schedule: null });
    expect(result.at.toISOString()).toBe("2026-11-01T05:30:00.000Z"); // 01:30 EDT
  });

  it("overlap: a start in the repeated hour's second pass counts days from its end", () => {
    const result = plan("2026-11-01T06:10:00Z", { amount: 1, unit: "days" }, { zone: "America/New_York", schedule: null }); // 01:10 EST
    expect(result.at.toISOString()).toBe("2026-11-02T07:00:00.000Z"); // 02:00 EST next day
  });

  it("overlap: a window in the repeated hour sends in the first pass only", () => {
    const window: SendSchedule = { ...smallHours, window: { start: "01:00", end: "01:30" } };
    // 01:10 EST (second pass): the window already closed at 01:30 EDT, so the next opening is the next day.
    const result = plan("2026-11-01T06:10:00Z", { amount: 0, unit: "minutes" }, { zone: "America/New_York", schedule: window });
    expect(result.at.toISOString()).toBe("2026-11-02T06:00:00.000Z");
    expect(result.reasons[0]).toEqual({ code: "repeated_hour", local: "2026-11-01T01:10" });
  });

  it("Lord Howe's 30-minute change: 02:15 does not exist on 2026-10-04 and opens at 02:30", () => {
    const window: SendSchedule = { ...smallHours, window: { start: "02:15", end: "04:00" } };
    const result = plan("2026-10-03T13:00:00Z", { amount: 0, unit: "minutes" }, { zone: "Australia/Lord_Howe", schedule: window }); // 00:30 +10:30
    expect(result.at.toISOString()).toBe("2026-10-03T15:30:00.000Z"); // 02:30 +11:00
  });
});

describe("invalid input", () => {
  it("refuses an empty set of days and an inverted window", () => {
    expect(() => plan("2026-03-10T10:00:00Z", { amount: 0, unit: "minutes" }, { schedule: { ...WEEKDAYS_9_TO_5, days: [] } })).toThrow(RangeError);
    expect(() => plan("2026-03-10T10:00:00Z", { amount: 0, unit: "minutes" }, { schedule: { ...WEEKDAYS_9_TO_5, window: { start: "17:00", end: "09:00" } } })).toThrow(RangeError);
  });
});
