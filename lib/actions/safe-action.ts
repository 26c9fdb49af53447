import "server-only";
import { z } from "zod";
import type { Role } from "../auth/roles";
import { requireUser, type CurrentUser } from "../auth/session";
import { getDb, type Db } from "../db/client";
import { AppError, isAppError, type AppErrorCode, type FieldErrors } from "../errors";
import { parsedOf } from "../validations/parse";

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; code: AppErrorCode | "internal"; message: string; fieldErrors?: FieldErrors };

type ActionContext = { user: CurrentUser; db: Db };

/**
 * Wraps a server action: authenticates, authorizes (`role`), validates the
 * input with `schema`, runs `handler`, and turns failures into values.
 * Server actions are public endpoints; none may skip this.
 */
export function authedAction<S extends z.ZodType, T>(
  options: { role: Role; schema: S },
  handler: (input: z.infer<S>, ctx: ActionContext) => Promise<T>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return async (input) => {
    try {
      const user = await requireUser(options.role);
      const parsed = parsedOf(options.schema.safeParse(input));
      if (!parsed.ok) return { ok: false, code: "validation", message: "Please correct the highlighted fields.", fieldErrors: parsed.fieldErrors };
      return { ok: true, data: await handler(parsed.data, { user, db: getDb() }) };
    } catch (error) {
      if (isAppError(error)) {
        return { ok: false, code: error.code, message: error.message, fieldErrors: error.fieldErrors };
      }
      // Next's redirect()/notFound() are thrown on purpose: let them through.
      if (isNextControlFlow(error)) throw error;
      console.error("[action] unexpected error", error);
      return { ok: false, code: "internal", message: "Something went wrong. Please try again." };
    }
  };
}

function isNextControlFlow(error: unknown): boolean {
  const digest = (error as { digest?: unknown } | null)?.digest;
  return typeof digest === "string" && (digest.startsWith("NEXT_REDIRECT") || digest.startsWith("NEXT_HTTP_ERROR_FALLBACK"));
}

export { AppError };
