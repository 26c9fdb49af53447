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
import { parsedOf } from "../validations/parse";

export type ApiContext<P> = { request: Request; db: Db; principal: ApiPrincipal; params: P };

/** A malformed request (not JSON): 400, before any validation. */
class BadRequest extends Error {}

/** Wraps a route handler: nothing runs before the API key is verified. */
export function apiHandler<P extends Record<string, string> = Record<string, never>>(
  handler: (ctx: ApiContext<P>) => Promise<Response>,
): (request: Request, context: { params: Promise<P> }) => Promise<Response> {
  return async (request, context) => {
    try {
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
      if (error instanceof BadRequest) return apiError(400, "bad_request", error.message);
      if (isAppError(error)) return apiError(httpStatusFor(error.code), error.code, error.message, undefined, error.fieldErrors);
      console.error("[api] unexpected error", error);
      return apiError(500, "internal", "Something went wrong. Please try again.");
    }
  };
}

/** The JSON body parsed with `schema`; throws (-> 400 or 422) otherwise. */
export async function readBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new BadRequest("The request body must be JSON.");
  }
  const parsed = parsedOf(schema.safeParse(body));
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
