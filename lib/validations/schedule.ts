/**
 * Sending schedules, shared by the builder's schedule form, its server action
 * and the domain (which also parses stored schedules with ZStoredSchedule).
 */
import { Temporal } from "temporal-polyfill";
import { z } from "zod";
import { ZTimeZone } from "./contact-profile";
import { ZId } from "./enrollment";

export const WEEKDAY_NUMBERS = [1, 2, 3, 4, 5, 6, 7] as const;

export const ZWeekday = z.union(WEEKDAY_NUMBERS.map((day) => z.literal(day)) as [z.ZodLiteral<1>, ...z.ZodLiteral<1 | 2 | 3 | 4 | 5 | 6 | 7>[]], {
  error: "Days are numbered 1 (Monday) to 7 (Sunday)",
});

export const ZTimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use a 24-hour time such as 09:00");

/** A country code as date-holidays spells it; whether the data set knows it is checked on the server. */
export const ZHolidayCountry = z.string().regex(/^[A-Z]{2}$/, "Pick a country from the list");

const ZDays = z
  .array(ZWeekday)
  .max(7)
  .refine((days) => new Set(days).size === days.length, "A day appears twice");

/** The stored JSON (Sequence.schedule); the zone lives in its own column. */
export const ZStoredSchedule = z
  .object({
    days: ZDays.min(1, "Pick at least one sending day"),
    window: z.object({ start: ZTimeOfDay, end: ZTimeOfDay }),
    holidayCountry: ZHolidayCountry.nullable(),
  })
  .refine((s) => s.window.start < s.window.end, { path: ["window", "end"], message: "The window must end after it starts" });
export type TStoredSchedule = z.infer<typeof ZStoredSchedule>;

/** New sequences send on weekdays, 9 to 5 in each contact's zone. */
export const DEFAULT_SCHEDULE: TStoredSchedule = { days: [1, 2, 3, 4, 5], window: { start: "09:00", end: "17:00" }, holidayCountry: null };

/** A sequence's daily cap: sends a day, or null for no cap. */
export const ZDailyCap = z
  .number({ error: "Enter a number of sends a day, or leave it empty for no cap" })
  .int("Enter a whole number of sends")
  .min(1, "At least 1 a day (leave it empty for no cap)")
  .max(1_000_000, "At most 1,000,000 a day");

/**
 * The schedule form, flat so that each field carries its own error.
 * `anyTime` keeps the other fields (so toggling back restores them) but they
 * are only checked when a schedule applies.
 */
export const ZUpdateSequenceSchedule = z
  .object({
    sequenceId: ZId,
    timezone: ZTimeZone,
    anyTime: z.boolean(),
    days: ZDays,
    windowStart: ZTimeOfDay,
    windowEnd: ZTimeOfDay,
    holidayCountry: ZHolidayCountry.nullable(),
    /** Absent: left as it is (callers that predate the cap). */
    dailyCap: ZDailyCap.nullable().optional(),
  })
  .superRefine((input, ctx) => {
    if (input.anyTime) return;
    if (input.days.length === 0) ctx.addIssue({ code: "custom", path: ["days"], message: "Pick at least one sending day" });
    if (input.windowStart >= input.windowEnd) {
      ctx.addIssue({ code: "custom", path: ["windowEnd"], message: "The window must end after it starts (windows cannot cross midnight)" });
    }
  });
export type TUpdateSequenceSchedule = z.infer<typeof ZUpdateSequenceSchedule>;

/** "2026-12-24T09:00": a wall-clock date-time, read in each contact's zone. */
export const ZLocalDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "Pick a date and a time")
  .refine((value) => {
    try {
      const parsed = Temporal.PlainDateTime.from(value, { overflow: "reject" });
      return parsed.year >= 2000 && parsed.year <= 2100;
    } catch {
      return false;
    }
  }, "Not a real date and time");
