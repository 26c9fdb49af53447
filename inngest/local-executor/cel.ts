import { parse, type ParseResult } from "@marcbachmann/cel-js";

/**
 * CEL evaluation for trigger expressions, `cancelOn.if`, `waitForEvent.if`
 * and `idempotency` keys. cel-js throws on a missing map key where Inngest's
 * evaluator may compare as null, so a throwing expression is reported to the
 * caller (and usually treated as "no match").
 */

export type CelVars = Record<string, unknown>;
export type CelOutcome = { ok: true; value: unknown } | { ok: false; error: string };

// Expressions come from a handful of function configs; parse each once.
const compiled = new Map<string, ParseResult>();

export function evaluateCel(expression: string, vars: CelVars): CelOutcome {
  try {
    let program = compiled.get(expression);
    if (!program) {
      program = parse(expression);
      compiled.set(expression, program);
    }
    return { ok: true, value: program(vars) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message.split("\n")[0] : String(error) };
  }
}

/** True only when the expression evaluates to boolean `true`. */
export function celMatches(
  expression: string,
  vars: CelVars,
  log: (msg: string) => void,
): boolean {
  const outcome = evaluateCel(expression, vars);
  if (!outcome.ok) {
    log(`CEL "${expression}" failed (${outcome.error}); treating as no match`);
    return false;
  }
  return outcome.value === true;
}

/** The string form of a key expression (idempotency), or undefined if it fails. */
export function celKey(
  expression: string,
  vars: CelVars,
  log: (msg: string) => void,
): string | undefined {
  const outcome = evaluateCel(expression, vars);
  if (!outcome.ok) {
    log(`CEL key "${expression}" failed (${outcome.error}); no key`);
    return undefined;
  }
  const { value } = outcome;
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") {
    return String(value);
  }
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}
