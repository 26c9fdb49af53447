import { z } from "zod";
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from "./text";
import { ZTagName } from "./contact";
import { ZId } from "./enrollment";
import { firstNonEmpty, optionalParam } from "./query-params";
import { decodeContactCursor } from "./contact-cursor";

export const CONTACT_SORTS = ["created", "email", "name", "score"] as const;
export type TContactSort = (typeof CONTACT_SORTS)[number];
export const CONTACT_STATUSES = ["subscribed", "unsubscribed", "bounced"] as const;
export type TContactStatus = (typeof CONTACT_STATUSES)[number];

/** The direction a column sorts in when first clicked. */
export const DEFAULT_SORT_DIR: Record<TContactSort, "asc" | "desc"> = { created: "desc", email: "asc", name: "asc", score: "desc" };

/** A position in the list (after/before): a string that decodes to a row's sort key and id for one of the sorts. */
const ZContactCursor = z.string().refine((cursor) => decodeContactCursor(cursor) !== null, "Not a valid position in the list");

const ZScore = z.coerce.number().int("Whole numbers only").min(-1_000_000_000).max(1_000_000_000);

const shape = {
  q: optionalParam(z.string().trim().max(200).refine(isStorableText, UNSTORABLE_TEXT_MESSAGE)),
  tag: optionalParam(ZId),
  status: optionalParam(z.enum(CONTACT_STATUSES)),
  sequence: optionalParam(ZId),
  scoreMin: optionalParam(ZScore),
  scoreMax: optionalParam(ZScore),
  sort: z.preprocess(firstNonEmpty, z.enum(CONTACT_SORTS).default("created")),
  dir: optionalParam(z.enum(["asc", "desc"])),
  page: z.preprocess(firstNonEmpty, z.coerce.number().int().min(1).max(100_000).default(1)),
  /** The rows after this one (Next): a position in the list's order, see contact-cursor.ts. Wins over `before` and `page`. */
  after: optionalParam(ZContactCursor),
  /** The rows before this one (Previous). Wins over `page`. */
  before: optionalParam(ZContactCursor),
};

/** A cursor made for another sort names no position in this one. */
const fitsSort = (cursor: string | undefined, sort: TContactSort) => cursor === undefined || decodeContactCursor(cursor)?.sort === sort;
const CURSOR_SORT_MESSAGE = "This position belongs to another sort order";

/**
 * The contact list's filters, order and position, as URL query parameters:
 * shared by the list page, bulk "select all" and the CSV export, so that an
 * export contains exactly what the list shows.
 */
export const ZContactListParams = z.object(shape).superRefine((params, ctx) => {
  for (const key of ["after", "before"] as const) {
    if (!fitsSort(params[key], params.sort)) ctx.addIssue({ code: "custom", message: CURSOR_SORT_MESSAGE, path: [key] });
  }
});
export type TContactListParams = z.infer<typeof ZContactListParams>;
export type TContactFilters = Omit<TContactListParams, "sort" | "dir" | "page" | "after" | "before">;

/**
 * For pages: a malformed parameter (a hand-edited URL) is dropped on its own
 * instead of failing the page or discarding the other filters.
 */
export function parseContactListParams(raw: Record<string, unknown>): TContactListParams {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const parsed = (schema as z.ZodType).safeParse(raw[key]);
    out[key] = parsed.success ? parsed.data : (schema as z.ZodType).parse(undefined);
  }
  const params = out as TContactListParams;
  // A position from another sort is dropped like a malformed one: without it the list shows its first page.
  for (const key of ["after", "before"] as const) if (!fitsSort(params[key], params.sort)) params[key] = undefined;
  return params;
}

/** The same filters and order at the first page: a new sort or filter starts over. */
export function firstPageOf(params: TContactListParams): TContactListParams {
  return { ...params, page: 1, after: undefined, before: undefined };
}

/** The parameters as a query string (defaults left out), for links and the export. */
export function contactListQuery(params: Partial<TContactListParams>, overrides: Partial<TContactListParams> = {}): string {
  const merged = { ...params, ...overrides };
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(merged)) {
    if (value === undefined || value === null || value === "") continue;
    if (key === "page" && value === 1) continue;
    if (key === "sort" && value === "created" && !merged.dir) continue;
    query.set(key, String(value));
  }
  return query.toString();
}

/** Bulk actions take ids explicitly; 1,000 at most so that one request stays short. */
export const ZBulkContactIds = z
  .array(ZId)
  .min(1, "Select at least one contact")
  .max(1000, "At most 1,000 contacts at a time");

export const ZBulkTagInput = z.object({ contactIds: ZBulkContactIds, tagName: ZTagName });
export type TBulkTagInput = z.infer<typeof ZBulkTagInput>;

/** Adding a tag: `confirmTriggers` says the user agreed that its live entry triggers enroll the contacts. */
export const ZBulkAddTagInput = ZBulkTagInput.extend({ confirmTriggers: z.boolean().optional() });
export type TBulkAddTagInput = z.infer<typeof ZBulkAddTagInput>;

export const ZBulkEnrollInput = z.object({ contactIds: ZBulkContactIds, sequenceId: ZId });
export type TBulkEnrollInput = z.infer<typeof ZBulkEnrollInput>;
