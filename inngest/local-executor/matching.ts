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

/**
 * Whether `incoming` cancels `run` under `rule`. As on Inngest, an event
 * older than the run's trigger is ignored ("stale"), so an opt-out sent
 * before a run started does not cancel it.
 */
export function cancelDecision(rule: CancelRule, run: Run, incoming: StoredEvent, now: number, log: Log): CancelDecision {
  if (rule.event !== incoming.name) return "no-match";
  if (rule.if && !celMatches(rule.if, { event: run.event, async: incoming }, log)) return "no-match";
  if (incoming.ts < run.event.ts) return "stale";
  if (rule.timeout) {
    const window = parseDuration(rule.timeout);
    if (window !== undefined && now > run.startedAt + window) return "expired";
  }
  return "cancel";
}

/** Whether `incoming` resolves a `waitForEvent` of `run`. */
export function waitMatches(wait: WaitState, run: Run, incoming: StoredEvent, log: Log): boolean {
  if (wait.event !== incoming.name) return false;
  return !wait.if || celMatches(wait.if, { event: run.event, async: incoming }, log);
}
