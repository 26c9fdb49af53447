import { EvaluationError, parse, serialize, type ASTNode, type ParseResult } from "@marcbachmann/cel-js";

/**
 * CEL evaluation for trigger expressions, `cancelOn.if`, `waitForEvent.if`
 * and key expressions (idempotency, rateLimit, throttle, concurrency), with
 * the real server's null semantics (D7).
 *
 * The server runs cel-go with a decorator that treats an unknown value (a
 * missing key) as null (pkg/expressions/unknown.go:96-250): `missing == null`
 * is true, `missing == x` false, `missing != x` true, `missing < x` true,
 * `missing > x` false, `size(missing)` 0, `&&`/`||` coerce like JS, any
 * other call on it is false; and an expression whose result is unknown
 * evaluates to false (pkg/expressions/cel.go:87-97). cel-js throws on a
 * missing key instead: when it does, the expression is evaluated again node
 * by node with those rules.
 */

export type CelVars = Record<string, unknown>;
export type CelOutcome = { ok: true; value: unknown } | { ok: false; error: string };

// Expressions come from a handful of function configs (and their subtrees); parse each once.
const compiled = new Map<string, ParseResult>();

function compile(expression: string): ParseResult {
  let program = compiled.get(expression);
  if (!program) {
    program = parse(expression);
    compiled.set(expression, program);
  }
  return program;
}

/** Whether the expression parses (the server's compile check, expressions.Validate). */
export function celCompiles(expression: string): boolean {
  try {
    compile(expression);
    return true;
  } catch {
    return false;
  }
}

export function evaluateCel(expression: string, vars: CelVars): CelOutcome {
  try {
    const program = compile(expression);
    let value: unknown;
    try {
      value = program(vars);
    } catch (error) {
      if (!(error instanceof EvaluationError)) throw error;
      value = evaluateNode(program.ast, vars);
    }
    return { ok: true, value: value === UNKNOWN ? false : value };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message.split("\n")[0] : String(error) };
  }
}

/** A value the server's evaluator calls unknown: a key that is not there. */
const UNKNOWN = Symbol("unknown");
type Value = unknown;

const ACCESS = new Set(["id", ".", ".?", "[]", "[?]"]);
const BINARY = new Set(["==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "in"]);

function evaluateNode(node: ASTNode, vars: CelVars): Value {
  try {
    return compile(serialize(node))(vars);
  } catch (error) {
    if (!(error instanceof EvaluationError)) throw error;
    if (ACCESS.has(node.op)) return UNKNOWN;
    const handled = evaluateWithUnknowns(node, vars);
    if (handled === NOT_HANDLED) throw error;
    return handled;
  }
}

const NOT_HANDLED = Symbol("not handled");

function evaluateWithUnknowns(node: ASTNode, vars: CelVars): Value {
  switch (node.op) {
    case "&&": {
      const [left, right] = node.args;
      return truthy(evaluateNode(left, vars)) && truthy(evaluateNode(right, vars));
    }
    case "||": {
      const [left, right] = node.args;
      return truthy(evaluateNode(left, vars)) || truthy(evaluateNode(right, vars));
    }
    case "?:": {
      const [condition, then, otherwise] = node.args;
      return evaluateNode(truthy(evaluateNode(condition, vars)) ? then : otherwise, vars);
    }
    case "!_": {
      const value = evaluateNode(node.args, vars);
      // A call on an unknown is false (unknown.go:244-246 default).
      return value === UNKNOWN ? false : compile("!__a")({ __a: value });
    }
    case "call":
    case "rcall": {
      const name = node.args[0];
      const args = node.op === "call" ? node.args[1] : [node.args[1], ...node.args[2]];
      const values = args.map((arg) => evaluateNode(arg, vars));
      if (!values.includes(UNKNOWN)) return NOT_HANDLED;
      return name === "size" ? 0n : false; // unknown.go:230-241, :244-246
    }
    default: {
      if (!BINARY.has(node.op)) return NOT_HANDLED;
      const [left, right] = node.args as [ASTNode, ASTNode];
      return binary(node.op, evaluateNode(left, vars), evaluateNode(right, vars));
    }
  }
}

/** unknown.go:180-246 `handleUnknownCall`, and :160-170 for a known null. */
function binary(op: string, left: Value, right: Value): Value {
  if (left === UNKNOWN || right === UNKNOWN) {
    switch (op) {
      case "==":
        return left === null || right === null;
      case "!=":
        return !(left === null || right === null);
      case "<":
      case "<=":
        return left === UNKNOWN;
      case ">":
      case ">=":
        return left !== UNKNOWN;
      case "+":
        return left !== UNKNOWN ? left : right !== UNKNOWN ? right : false;
      default:
        return false;
    }
  }
  // cel-go compares null with a value of another type as unequal; cel-js throws.
  if ((op === "==" || op === "!=") && (left === null || right === null)) return (left === right) === (op === "==");
  return compile(`__a ${op} __b`)({ __a: left, __b: right });
}

/** JS-like truthiness, as the server's `&&`/`||` coerce (unknown.go:248+); unknown is falsy. */
function truthy(value: Value): boolean {
  if (value === UNKNOWN || value === null || value === undefined) return false;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0 && !Number.isNaN(value);
  if (typeof value === "bigint") return value !== 0n;
  if (typeof value === "string") return value !== "";
  return true;
}

/** True only when the expression evaluates to boolean `true`. */
export function celMatches(expression: string, vars: CelVars, log: (msg: string) => void): boolean {
  const outcome = evaluateCel(expression, vars);
  if (!outcome.ok) {
    log(`CEL "${expression}" failed (${outcome.error}); treating as no match`);
    return false;
  }
  return outcome.value === true;
}

/**
 * A key expression's value as the server formats it, `fmt.Sprintf("%v")`
 * (queue/item.go:665-668, concurrency.go:252-258): a missing key evaluates to
 * false, so every event without it shares the bucket "false"; an expression
 * that fails shares "<nil>".
 */
export function celKeyString(expression: string, vars: CelVars): string {
  const outcome = evaluateCel(expression, vars);
  if (!outcome.ok) return "<nil>";
  return formatValue(outcome.value);
}

export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "<nil>";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}
