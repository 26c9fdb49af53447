/**
 * Text PostgreSQL cannot store: a NUL character (text columns refuse 0x00)
 * or a lone UTF-16 surrogate (not Unicode; the query engine and jsonb refuse
 * it). Left to the database, either is an internal error (a 500) after
 * validation passed; caught here, it is a field error like any other.
 */
import type { FieldErrors } from "../errors";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const UNSTORABLE_TEXT_MESSAGE = "Contains a character that is not allowed (a NUL character or broken Unicode)";

export function isStorableText(value: string): boolean {
  return !value.includes("\u0000") && !LONE_SURROGATE.test(value);
}

/** The path ("rows.3.values.1") of the first string or key in `value` that cannot be stored, or null. */
export function findUnstorableText(value: unknown, path: string[] = [], seen = new Set<object>()): string | null {
  if (typeof value === "string") return isStorableText(value) ? null : path.join(".") || "_";
  if (!value || typeof value !== "object" || seen.has(value)) return null;
  seen.add(value);
  for (const [key, child] of Object.entries(value)) {
    if (!isStorableText(key)) return path.join(".") || "_";
    const found = findUnstorableText(child, [...path, key], seen);
    if (found !== null) return found;
  }
  return null;
}

/** Field errors naming the unstorable text in `value`, or null when all of it can be stored. */
export function unstorableTextErrors(value: unknown): FieldErrors | null {
  const path = findUnstorableText(value);
  return path === null ? null : { [path]: [UNSTORABLE_TEXT_MESSAGE] };
}
