/**
 * Filter pages' URL parameters (contacts, activity, audit log): shared so
 * that every such page treats a hand-edited URL the same way.
 */
import { z } from "zod";

/** Form and URL values arrive as "" (an empty select) or repeated keys. */
export function firstNonEmpty(value: unknown): unknown {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === "string" && v.trim() === "" ? undefined : v;
}

/** A parameter that may be absent, empty or repeated (the first value counts). */
export const optionalParam = <T extends z.ZodType>(schema: T) => z.preprocess(firstNonEmpty, schema.optional());

/** A calendar day (UTC), as <input type="date"> sends it. */
export const ZDay = z.iso
  .date({ message: "A date as YYYY-MM-DD" })
  // A real day (no 30 February) in the range the database stores sensibly.
  // zod runs this refinement even when the format check above failed, so a
  // string such as "1e309" reaches it: an invalid Date must be a "no", not a
  // RangeError from toISOString() (which made the activity export answer 500).
  .refine((day) => {
    const date = new Date(`${day}T00:00:00Z`);
    return day >= "1970-01-01" && day <= "2999-12-31" && !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day);
  }, "Not a valid date");

/** A position in an append-only log: its bigint key, as digits. */
export const ZLogCursor = z.string().regex(/^\d{1,18}$/, "Not a valid position in the log");

/** `.refine(...datesInOrder)` on a schema with optional from/to days. */
export const datesInOrder: [(f: { from?: string; to?: string }) => boolean, { message: string; path: string[] }] = [
  (f) => !f.from || !f.to || f.from <= f.to,
  { message: "The start date is after the end date", path: ["to"] },
];

/**
 * Each parameter parsed on its own: a malformed one is dropped instead of
 * refusing the whole page; an end date before the start date is dropped too.
 */
export function parseEachParam<T>(shape: Record<string, z.ZodType>, raw: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const parsed = schema.safeParse(raw[key]);
    out[key] = parsed.success ? parsed.data : undefined;
  }
  if (out.from && out.to && (out.from as string) > (out.to as string)) out.to = undefined;
  return out as T;
}

/** The set parameters as a query string ("" when none), for links and exports. */
export function toQueryString(params: Record<string, unknown>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, String(value));
  const text = query.toString();
  return text ? `?${text}` : "";
}
