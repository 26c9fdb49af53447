/**
 * The activity log's filters and cursor, as URL query parameters: shared by
 * the page (each malformed value dropped on its own) and the CSV export
 * (strict: a filter silently dropped would export more than was asked for).
 */
import { datesInOrder, optionalParam, parseEachParam, toQueryString, ZDay, ZLogCursor } from "./query-params";
import { z } from "zod";
import { EnrollmentEventType } from "../generated/prisma/enums";
import { ZId } from "./enrollment";
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from "./text";

type TEventType = (typeof EnrollmentEventType)[keyof typeof EnrollmentEventType];
export const EVENT_TYPES = Object.values(EnrollmentEventType) as TEventType[];

const filterShape = {
  q: optionalParam(z.string().trim().max(200, "At most 200 characters").refine(isStorableText, UNSTORABLE_TEXT_MESSAGE)),
  sequence: optionalParam(ZId),
  contact: optionalParam(ZId),
  type: optionalParam(z.enum(EVENT_TYPES as [TEventType, ...TEventType[]], { message: "Not an event type" })),
  from: optionalParam(ZDay),
  to: optionalParam(ZDay),
};

export const ZActivityFilters = z.object(filterShape).refine(...datesInOrder);
export type TActivityFilters = z.infer<typeof ZActivityFilters>;

export const ZActivityParams = z
  .object({
    ...filterShape,
    /** Older than this event (the next page). */
    before: optionalParam(ZLogCursor),
    /** Newer than this event (the previous page). */
    after: optionalParam(ZLogCursor),
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
