import { z } from "zod";
import { AppError, type FieldErrors } from "../errors";

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

export function parsedOf<T>(result: z.ZodSafeParseResult<T>): Parsed<T> {
  return result.success ? { ok: true, data: result.data } : { ok: false, fieldErrors: fieldErrorsOf(result.error) };
}
