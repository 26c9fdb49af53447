import { celCompiles as compiles } from "./cel";
import { parseDuration } from "./duration";
import type { FunctionConfig } from "./types";

/**
 * Sync-time checks: what the real server refuses when an app syncs
 * (pkg/inngest/function.go `Validate`, :419-543), and what this executor does
 * not implement. Both fail the sync with every reason listed, so a config
 * never "works" here and fails in production, and an option is never
 * silently ignored here that production would honour.
 */

/** pkg/consts/consts.go:96-97, :124-125, :80-85. */
const MAX_CANCELLATIONS = 5;
const MAX_CONCURRENCY_LIMITS = 2;
const DAY_MS = 86_400_000;

export type ConcurrencyScope = "fn" | "env" | "account";
export interface ConcurrencyLimit {
  limit: number;
  key?: string;
  scope: ConcurrencyScope;
}

export interface SyncCheck {
  errors: string[];
  warnings: string[];
  /** The function's step concurrency limits, normalized (concurrency.go:23-160). */
  concurrency: ConcurrencyLimit[];
}

/** Options the SDK may send that this executor does not implement. */
const UNIMPLEMENTED = ["debounce", "priority", "batchEvents", "singleton", "timeouts"] as const;

export function checkFunctionConfig(fn: FunctionConfig): SyncCheck {
  const errors: string[] = [];
  const warnings: string[] = [];
  const cancel = fn.cancel ?? [];
  if (cancel.length > MAX_CANCELLATIONS) {
    // function.go:508-510
    errors.push(`exceeds the max number of cancellation events: ${MAX_CANCELLATIONS}`);
  }
  for (const rule of cancel) {
    if (rule.if && !compiles(rule.if)) errors.push(`cancellation expression is invalid: ${rule.if}`);
  }
  if (fn.idempotency && !compiles(fn.idempotency)) errors.push(`idempotency expression is invalid: ${fn.idempotency}`);

  const rateLimit = fn.rateLimit as { limit?: number; period?: string; key?: string } | undefined;
  if (rateLimit) {
    if (fn.idempotency) {
      // pkg/sdk/function.go:95-101: idempotency becomes a rate limit of 1 per
      // 24 h under its key and REPLACES any rateLimit, silently on the server.
      warnings.push("has both idempotency and rateLimit: the real server ignores rateLimit (idempotency replaces it), and so does this executor");
    } else {
      // function.go:181-210 (RateLimit.IsValid).
      if (!(typeof rateLimit.limit === "number" && rateLimit.limit > 0)) errors.push("rateLimit: limit must be greater than 0");
      if (rateLimit.key && !compiles(rateLimit.key)) errors.push(`rateLimit: key is invalid: ${rateLimit.key}`);
      const period = typeof rateLimit.period === "string" && rateLimit.period !== "" ? parseDuration(rateLimit.period) : undefined;
      if (period === undefined) errors.push("rateLimit: period must be specified");
      else if (period > DAY_MS) errors.push("rateLimit: period must be less than 24h0m0s");
    }
  }
  checkThrottle(fn.throttle, errors, warnings);
  for (const option of UNIMPLEMENTED) {
    if (fn[option] !== undefined && fn[option] !== null) errors.push(`uses ${option}, which the local executor does not implement`);
  }

  const concurrency = normalizeConcurrency(fn.concurrency, errors);
  return { errors, warnings, concurrency };
}

/** The SDK sends `number | {limit, key?, scope?} | [...]` (inngest/pkg/inngest/concurrency.go:23-160). */
function normalizeConcurrency(raw: unknown, errors: string[]): ConcurrencyLimit[] {
  if (raw === undefined || raw === null) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  const limits: ConcurrencyLimit[] = [];
  for (const item of list) {
    const entry = typeof item === "number" ? { limit: item } : (item as { limit?: unknown; key?: unknown; scope?: unknown });
    const limit = Number(entry.limit);
    const scope = (entry.scope ?? "fn") as ConcurrencyScope;
    const key = typeof entry.key === "string" && entry.key !== "" ? entry.key : undefined;
    if (!["fn", "env", "account"].includes(scope)) {
      errors.push(`concurrency scope must be fn, env or account, not ${String(entry.scope)}`);
      continue;
    }
    // concurrency.go:230-241: env and account scopes need a key.
    if (scope !== "fn" && !key) errors.push(`a concurrency key must be specified for ${scope} scoped limits`);
    if (key && !compiles(key)) errors.push(`invalid concurrency key '${key}'`);
    // A limit of 0 means "the account's limit": no function limit.
    if (Number.isFinite(limit) && limit > 0) limits.push({ limit: Math.floor(limit), key, scope });
  }
  if (list.length > MAX_CONCURRENCY_LIMITS) {
    errors.push(`there are more concurrency limits specified than the allowed maximum of ${MAX_CONCURRENCY_LIMITS}`);
  }
  return limits;
}

/**
 * The server validates nothing of a throttle but its period, which must parse
 * (function.go:229-259 `UnmarshalJSON`; a limit of 0 becomes 1). A key that
 * does not compile is not refused: every run then shares one bucket
 * (queue/item.go:665-668), worth a warning.
 */
function checkThrottle(raw: unknown, errors: string[], warnings: string[]): void {
  if (raw === undefined || raw === null) return;
  const throttle = raw as { limit?: unknown; period?: unknown; burst?: unknown; key?: unknown };
  if (typeof throttle.period !== "string" || parseDuration(throttle.period) === undefined) {
    errors.push(`throttle: failed to parse time duration: ${String(throttle.period)}`);
  }
  if (typeof throttle.key === "string" && throttle.key !== "" && !compiles(throttle.key)) {
    warnings.push(`throttle: key "${throttle.key}" does not compile; every run shares one bucket, as on the real server`);
  }
}
