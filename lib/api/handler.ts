/**
 * The plumbing every JSON API route shares: API-key authentication, body
 * parsing with zod, and mapping failures to `{ error: { code, message,
 * fieldErrors? } }` with the right status. Internal errors are logged and
 * answered with a generic message.
 */
import type { z } from "zod";
import { authenticateApiKey, type ApiPrincipal } from "../api-keys/authenticate";
import { getDb } from "../db/client";
import type { Db } from "../db/prisma";
import { AppError, httpStatusFor, isAppError, type FieldErrors } from "../errors";
import { BODY_LIMITS, checkContentLength, readJsonBody } from "../security/body";
import { parsedOf } from "../validations/parse";

export type ApiContext<P> = { request: Request; db: Db; principal: ApiPrincipal; params: P };

/** A body the reader refused (too large, not UTF-8, not JSON): its answer, before any validation. */
class RefusedBody extends Error {
  constructor(readonly response: Response) {
    super("refused body");
  }
}

/** Wraps a route handler: nothing runs before the API key is verified. */
export function apiHandler<P extends Record<string, string> = Record<string, never>>(
  handler: (ctx: ApiContext<P>) => Promise<Response>,
): (request: Request, context: { params: Promise<P> }) => Promise<Response> {
  return async (request, context) => {
    try {
      // A declared oversize body is refused before the key is even looked up.
      const declared = checkContentLength(request.headers, BODY_LIMITS.api);
      if (!declared.ok) return declared.response;
      const db = getDb();
      const principal = await authenticateApiKey(db, request.headers.get("authorization"));
      if (!principal) {
        return apiError(401, "unauthenticated", "Missing, invalid or revoked API key. Send `Authorization: Bearer <key>`.", {
          "WWW-Authenticate": 'Bearer realm="stepwise"',
        });
      }
      const params = ((await context?.params) ?? {}) as P;
      return await handler({ request, db, principal, params });
    } catch (error) {
      if (error instanceof RefusedBody) return error.response;
      if (isAppError(error)) return apiError(httpStatusFor(error.code), error.code, error.message, undefined, error.fieldErrors);
      console.error("[api] unexpected error", error);
      return apiError(500, "internal", "Something went wrong. Please try again.");
    }
  };
}

/** The JSON body parsed with `schema`; throws (-> 400 or 422) otherwise. */
export async function readBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  const read = await readJsonBody(request, BODY_LIMITS.api);
  if (!read.ok) throw new RefusedBody(read.response);
  const parsed = parsedOf(schema.safeParse(read.value));
  if (!parsed.ok) throw new AppError("validation", "The request is invalid; see fieldErrors.", parsed.fieldErrors);
  return parsed.data;
}

export function apiJson(data: unknown, status = 200): Response {
  return Response.json(data, { status, headers: { "Cache-Control": "no-store" } });
}

export function apiError(
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
  fieldErrors?: FieldErrors,
  extra?: Record<string, unknown>,
): Response {
  return Response.json(
    { ...extra, error: fieldErrors ? { code, message, fieldErrors } : { code, message } },
    { status, headers: { "Cache-Control": "no-store", ...headers } },
  );
}
