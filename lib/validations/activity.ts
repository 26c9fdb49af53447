/**
 * The activity log's filters and cursor, as URL query parameters: shared by
 * the page (each malformed value dropped on its own) and the CSV export
 * (strict: a filter silently dropped would export more than was asked for).
 */
import { parseEachParam, toQueryString } from "./query-params";
import { z } from "zod";
import { EnrollmentEventType } from "../generated/prisma/enums";
import { ZId } from "./enrollment";
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from "./text";

type TEventType = (typeof EnrollmentEventType)[keyof typeof EnrollmentEventType];
export const EVENT_TYPES = Object.values(EnrollmentEventType) as TEventType[];

/** Form and URL values arrive as "" (an empty select) or repeated keys. */
function firstNonEmpty(value: unknown): unknown {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === "string" && v.trim() === "" ? undefined : v;
}
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(firstNonEmpty, schema.optional());

/** A calendar day (UTC), as <input type="date"> sends it. */
const ZDay = z.iso
  .date({ message: "A date as YYYY-MM-DD" })
  // A real day (no 30 February) in the range the database stores sensibly.
  .refine((day) => day >= "1970-01-01" && day <= "2999-12-31" && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day), "Not a valid date");
/** An event id: the log's bigint key, as digits. */
const ZEventCursor = z.string().regex(/^\d{1,18}$/, "Not a valid position in the log");

const filterShape = {
  q: optional(z.string().trim().max(200, "At most 200 characters").refine(isStorableText, UNSTORABLE_TEXT_MESSAGE)),
  sequence: optional(ZId),
  contact: optional(ZId),
  type: optional(z.enum(EVENT_TYPES as [TEventType, ...TEventType[]], { message: "Not an event type" })),
  from: optional(ZDay),
  to: optional(ZDay),
};
const datesInOrder: [(f: { from?: string; to?: string }) => boolean, { message: string; path: string[] }] = [
  (f) => !f.from || !f.to || f.from <= f.to,
  { message: "The start date is after the end date", path: ["to"] },
];

export const ZActivityFilters = z.object(filterShape).refine(...datesInOrder);
export type TActivityFilters = z.infer<typeof ZActivityFilters>;

export const ZActivityParams = z
  .object({
    ...filterShape,
    /** Older than this event (the next page). */
    before: optional(ZEventCursor),
    /** Newer than this event (the previous page). */
    after: optional(ZEventCursor),
  })
  .refine(...datesInOrder);
export type TActivityParams = z.infer<typeof ZActivityParams>;

/** For the page: a malformed parameter (a hand-edited URL) is dropped on its own. */
export function parseActivityParams(raw: Record<string, unknown>): TActivityParams {
  return parseEachParam<TActivityParams>(ZActivityParams.shape, raw);
}

/** The filters (and a cursor) as a query string, for links and the export. */
export function activityQuery(params: Partial<TActivityParams>): string {
  return toQueryString(params);
}
