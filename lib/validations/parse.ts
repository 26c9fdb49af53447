import { z } from "zod";
import { AppError, type FieldErrors } from "../errors";
import { unstorableTextErrors } from "./text";

/** zod issues as `{ "field.path": ["message", ...] }`. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** Parses `input` or throws AppError("validation") with field errors. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new AppError("validation", "Please correct the highlighted fields.", fieldErrorsOf(result.error));
  return result.data;
}

/** A parse outcome as a value, for boundaries that answer with field errors. */
export type Parsed<T> = { ok: true; data: T } | { ok: false; fieldErrors: FieldErrors };

/**
 * What every boundary (server actions, API bodies, public forms, webhooks)
 * accepts: valid for the schema, and only text PostgreSQL can store (see
 * text.ts), so that such text is a field error and not a 500 later.
 */
export function parsedOf<T>(result: z.ZodSafeParseResult<T>): Parsed<T> {
  if (!result.success) return { ok: false, fieldErrors: fieldErrorsOf(result.error) };
  const unstorable = unstorableTextErrors(result.data);
  return unstorable ? { ok: false, fieldErrors: unstorable } : { ok: true, data: result.data };
}
