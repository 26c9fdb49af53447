import { z } from "zod";
import { ZId } from "./enrollment";

/** A calendar day, YYYY-MM-DD, that exists (2026-02-30 does not). */
const ZDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD")
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value && date.getUTCFullYear() >= 2000;
  }, "Not a date");

/**
 * The analytics' date range (UTC days, both ends included) from a page's
 * search params: a bad or reversed value is dropped rather than refused, so
 * a hand-edited URL still shows the page.
 */
export const ZAnalyticsRange = z
  .object({ from: ZDay.optional().catch(undefined), to: ZDay.optional().catch(undefined) })
  .transform((range) => (range.from && range.to && range.from > range.to ? { from: range.to, to: range.from } : range));
export type TAnalyticsRange = z.infer<typeof ZAnalyticsRange>;

export const SEQUENCE_SORTS = ["updated", "active", "replyRate", "unsubscribeRate"] as const;

/** The sequences list's sort (?sort=&dir=); anything else is the default. */
export const ZSequenceSort = z.object({
  sort: z.enum(SEQUENCE_SORTS).catch("updated").default("updated"),
  dir: z.enum(["asc", "desc"]).catch("desc").default("desc"),
});
export type TSequenceSort = z.infer<typeof ZSequenceSort>;

/** Switching a sequence's open and click tracking on or off. */
export const ZSetSequenceTracking = z.object({ sequenceId: ZId, enabled: z.boolean({ message: "Must be on or off" }) });
export type TSetSequenceTracking = z.infer<typeof ZSetSequenceTracking>;
