/**
 * In production, a failing step or function answers Inngest with the error's
 * name and a reference, never its message, stack or cause: those carry
 * server paths, code frames and SQL (a Prisma error quotes the file and the
 * line it was called from). The whole error is logged here instead, under
 * the same reference, so the operator loses nothing.
 *
 * The error object is changed in place, before the SDK serializes it, so its
 * class (NonRetriableError, RetryAfterError, StepError) and identity, which
 * decide whether Inngest retries, stay as they were.
 */
import { randomBytes } from "node:crypto";
import { Middleware } from "inngest";
import { createLogger } from "../../lib/log";

const log = createLogger("inngest");

export function hidesErrorDetails(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV === "production";
}

/** Logs `error` whole and strips it to `<name>: failed (reference <ref>)`. */
export function hideErrorDetails(error: unknown, where: string): unknown {
  if (!(error instanceof Error)) return new Error(`${where} failed`);
  if ((error as { stepwiseHidden?: boolean }).stepwiseHidden) return error;
  const reference = randomBytes(4).toString("hex");
  log.error(`${where} failed (reference ${reference}): ${error.name}: ${error.message}`);
  if (error.stack) log.debug(`reference ${reference}: ${error.stack}`);
  const message = `${where} failed; details are in the app's log under reference ${reference}`;
  Object.defineProperty(error, "message", { value: message, configurable: true, writable: true, enumerable: false });
  Object.defineProperty(error, "stack", { value: `${error.name}: ${message}`, configurable: true, writable: true, enumerable: false });
  Object.defineProperty(error, "stepwiseHidden", { value: true, enumerable: false });
  delete (error as { cause?: unknown }).cause;
  // Prisma's errors carry more detail in own enumerable fields (meta, clientVersion...).
  for (const key of Object.keys(error)) {
    if (!["name", "retryAfter", "stepId"].includes(key)) delete (error as unknown as Record<string, unknown>)[key];
  }
  return error;
}

export class HideErrorDetails extends Middleware.BaseMiddleware {
  readonly id = "stepwise:hide-error-details";

  async wrapStepHandler({ next, fn, stepInfo }: Middleware.WrapStepHandlerArgs): Promise<unknown> {
    try {
      return await next();
    } catch (error) {
      throw hidesErrorDetails() ? hideErrorDetails(error, `${fn.id()} step ${stepInfo.options.id}`) : error;
    }
  }

  async wrapFunctionHandler({ next, fn }: Middleware.WrapFunctionHandlerArgs): Promise<unknown> {
    try {
      return await next();
    } catch (error) {
      throw hidesErrorDetails() ? hideErrorDetails(error, fn.id()) : error;
    }
  }
}
