import { celMatches } from "./cel";
import { parseDuration } from "./duration";
import type { Run, WaitState } from "./run";
import type { CancelRule, EventTrigger, FunctionConfig, StoredEvent, Trigger } from "./types";

type Log = (msg: string) => void;

export function isEventTrigger(trigger: Trigger): trigger is EventTrigger {
  return "event" in trigger;
}

/** Exact name, or a wildcard trigger such as "app/*". */
export function eventNameMatches(pattern: string, name: string): boolean {
  if (pattern === name) return true;
  return pattern.endsWith("*") && name.startsWith(pattern.slice(0, -1));
}

/** Whether any event trigger of `fn` fires for `event` (name + CEL `expression`). */
export function functionTriggeredBy(fn: FunctionConfig, event: StoredEvent, log: Log): boolean {
  return fn.triggers.some(
    (trigger) =>
      isEventTrigger(trigger) &&
      eventNameMatches(trigger.event, event.name) &&
      (!trigger.expression || celMatches(trigger.expression, { event }, log)),
  );
}

export type CancelDecision = "cancel" | "no-match" | "stale" | "expired";

/** A cancel rule without `timeout` lives this long (pkg/consts/consts.go:169-170 `CancelTimeout`). */
const CANCEL_TIMEOUT_MS = 365 * 24 * 3_600_000;

/**
 * Whether `incoming` cancels `run` under `rule`, as the real server decides:
 * - the cut-off is the run's creation, not the trigger's `ts`: an event
 *   whose id (a ULID from when it was received) sorts at or before the run's
 *   id is ignored (executor.go:2933, :3053 `bytes.Compare(evtID, RunID) <= 0`;
 *   the `ts` comparison was removed in 2024). Here that is an event received
 *   before the run was scheduled, e.g. sent in the same batch as its trigger;
 * - without `timeout`, a rule expires 365 days after the run was scheduled
 *   (executor.go:705; D3).
 */
export function cancelDecision(
  rule: CancelRule,
  run: Run,
  incoming: StoredEvent,
  receivedId: string,
  now: number,
  log: Log,
): CancelDecision {
  if (rule.event !== incoming.name) return "no-match";
  if (rule.if && !celMatches(rule.if, { event: run.event, async: incoming }, log)) return "no-match";
  if (receivedId <= run.id) return "stale";
  const window = rule.timeout ? parseDuration(rule.timeout) : CANCEL_TIMEOUT_MS;
  if (window !== undefined && now > run.startedAt + window) return "expired";
  return "cancel";
}

/** Whether `incoming` resolves a `waitForEvent` of `run`. */
export function waitMatches(wait: WaitState, run: Run, incoming: StoredEvent, log: Log): boolean {
  if (wait.event !== incoming.name) return false;
  return !wait.if || celMatches(wait.if, { event: run.event, async: incoming }, log);
}
