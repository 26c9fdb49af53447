/**
 * Expected failures in domain code are thrown as AppError with a stable code;
 * the boundary (server action wrapper, route handler) turns them into
 * `{ ok: false, code, message, fieldErrors }`. Anything else is a bug: it is
 * logged and the client sees a generic message.
 */
export type AppErrorCode =
  | "validation"
  | "not_found"
  | "unauthenticated"
  | "forbidden"
  | "conflict"
  | "rate_limited";

export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly fieldErrors?: FieldErrors,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** HTTP status for an AppError code, for route handlers. */
export function httpStatusFor(code: AppErrorCode): number {
  switch (code) {
    case "validation":
      return 422;
    case "not_found":
      return 404;
    case "unauthenticated":
      return 401;
    case "forbidden":
      return 403;
    case "conflict":
      return 409;
    case "rate_limited":
      return 429;
  }
}
