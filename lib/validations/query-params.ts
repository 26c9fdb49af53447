/**
 * Filter pages' URL parameters (activity, audit log): shared so that every
 * such page treats a hand-edited URL the same way.
 */
import type { z } from "zod";

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
