import { describe, expect, it } from "vitest";
import { describeDays, describeSchedule, resolveZone } from "@/lib/schedule";
import { holidayCalendar, holidayCountries, isHolidayCountry } from "@/lib/schedule/holidays";

describe("resolveZone", () => {
  it("uses the contact's zone when it is valid, canonically spelled", () => {
    expect(resolveZone("europe/berlin", "America/New_York")).toEqual({ zone: "Europe/Berlin", fallback: false });
  });

  it("falls back to the sequence's zone when missing, the stored default, or invalid", () => {
    expect(resolveZone(null, "Europe/Berlin")).toEqual({ zone: "Europe/Berlin", fallback: true, reason: "missing", given: null });
    expect(resolveZone("UTC", "Europe/Berlin")).toMatchObject({ zone: "Europe/Berlin", fallback: true, reason: "missing" });
    expect(resolveZone("Mars/Olympus", "Europe/Berlin")).toEqual({ zone: "Europe/Berlin", fallback: true, reason: "invalid", given: "Mars/Olympus" });
  });

  it("honours an explicit Etc/UTC, and uses UTC when even the sequence's zone is unusable", () => {
    expect(resolveZone("Etc/UTC", "Europe/Berlin")).toEqual({ zone: "Etc/UTC", fallback: false });
    expect(resolveZone(null, "nope")).toMatchObject({ zone: "UTC", fallback: true });
  });
});

describe("plain words", () => {
  it("describes days as ranges", () => {
    expect(describeDays([1, 2, 3, 4, 5])).toBe("Mon–Fri");
    expect(describeDays([1, 3, 5])).toBe("Mon, Wed, Fri");
    expect(describeDays([6, 7])).toBe("Sat, Sun");
    expect(describeDays([1, 2, 3, 4, 5, 6, 7])).toBe("every day");
  });

  it("describes a schedule", () => {
    const schedule = { days: [1, 2, 3, 4, 5] as const, window: { start: "09:00", end: "17:00" }, timezone: "Europe/Berlin", holidayCountry: "DE" };
    expect(describeSchedule({ ...schedule, days: [...schedule.days] } as never, "Germany")).toBe(
      "Sends Mon–Fri, 9:00–17:00 in each contact's time zone (Europe/Berlin when unknown), except public holidays in Germany.",
    );
    expect(describeSchedule(null)).toBe("Sends at any time of day, every day.");
  });
});

describe("holidays", () => {
  it("knows public holidays by local date, and not observances", () => {
    const de = holidayCalendar("de")!;
    expect(de.nameOn("2026-12-25")).toBe("Christmas Day");
    expect(de.nameOn("2026-02-14")).toBeNull(); // Valentine's Day is an observance
    expect(de.nameOn("2026-12-23")).toBeNull();
  });

  it("lists countries and refuses unknown codes", () => {
    expect(holidayCountries().length).toBeGreaterThan(100);
    expect(isHolidayCountry("US")).toBe(true);
    expect(holidayCalendar("XX")).toBeNull();
    expect(holidayCalendar(null)).toBeNull();
  });
});

describe("stored fields", () => {
  it("reads a stored schedule with the sequence's zone, and any time for null or a broken value", async () => {
    const { scheduleOf, delayOf } = await import("@/lib/schedule/stored");
    const stored = { days: [1, 2], window: { start: "08:00", end: "12:00" }, holidayCountry: "FR" };
    expect(scheduleOf({ schedule: stored, timezone: "Europe/Paris" })).toEqual({ ...stored, timezone: "Europe/Paris" });
    expect(scheduleOf({ schedule: null, timezone: "Europe/Paris" })).toBeNull();
    expect(scheduleOf({ schedule: { days: [] }, timezone: "Europe/Paris" })).toBeNull();
    expect(delayOf({ delayAmount: 2, delayUnit: "business_days", waitUntil: null })).toEqual({ amount: 2, unit: "business_days" });
    expect(delayOf({ delayAmount: 2, delayUnit: "days", waitUntil: "2026-12-24T09:00" })).toEqual({ until: { local: "2026-12-24T09:00" } });
  });

  it("words business-day delays", async () => {
    const { describeDelay } = await import("@/lib/sequences/schedule");
    expect(describeDelay(1, "business_days")).toBe("1 business day");
    expect(describeDelay(3, "business_days")).toBe("3 business days");
  });
});
