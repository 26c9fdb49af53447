import type { EventLedger } from "./ledger";
import { cancelDecision, functionTriggeredBy, waitMatches } from "./matching";
import { INTERNAL_EVENTS } from "./protocol";
import { logSafe } from "./request-guard";
import type { Run } from "./run";
import { ulid } from "./ids";
import type { EventPayload, FunctionConfig, StoredEvent } from "./types";
import type { RecentEvents } from "./waits";

/**
 * A sent event as stored: its id (given, else `seededId`, else a new one),
 * its data and timestamp defaulted. A nameless event is refused.
 */
export function storedEvent(payload: EventPayload, index: number, now: number, seededId?: string): StoredEvent {
  if (!payload || typeof payload.name !== "string" || payload.name === "") throw new Error(`event ${index} has no name`);
  return { ...payload, id: payload.id || seededId || ulid(now), data: payload.data ?? {}, ts: typeof payload.ts === "number" ? payload.ts : now };
}

/** What routing an event needs from the executor. */
export interface RoutingContext {
  now(): number;
  log(msg: string): void;
  readonly ledger: EventLedger;
  /** Events received lately, for waits registered shortly after them (waits.ts). */
  readonly recent: RecentEvents;
  functions(): Iterable<FunctionConfig>;
  runs(): Iterable<Run>;
  /** Schedules a run unless flow control (rateLimit, idempotency) drops it. */
  scheduleRun(fn: FunctionConfig, event: StoredEvent): void;
  cancelRun(run: Run, cause: StoredEvent): void;
  resumeWait(run: Run, stepId: string, event: StoredEvent): void;
}

/**
 * Where an accepted event goes: it cancels or resumes the running runs it
 * matches, then starts the functions it triggers. An id seen in the last 24 h
 * starts no run, but the event still reaches cancel rules and waits (D5): the
 * server dedupes only when scheduling, by function and event id
 * (runner.go:677, executor.go:646-670), and every event goes to `pauses()`
 * (runner.go:282-361); events themselves are not deduped
 * (pkg/event/legacy_types.go:22).
 */
export function routeEvent(ctx: RoutingContext, event: StoredEvent, receivedId: string): void {
  const now = ctx.now();
  const firstTime = ctx.ledger.markSeen(event.id, now);
  ctx.log(`event ${logSafe(event.name)} ${logSafe(event.id)}${firstTime ? "" : " (id seen within 24h: starts no run)"}`);
  ctx.recent.add(event, now);
  deliverToRuns(ctx, event, receivedId, now);
  if (!firstTime) return;
  if (event.name === INTERNAL_EVENTS.invoked) return; // only started by step.invoke
  for (const fn of ctx.functions()) {
    if (functionTriggeredBy(fn, event, ctx.log)) ctx.scheduleRun(fn, event);
  }
}

/** Cancellations first, then waitForEvent: a cancelled run resumes nothing. */
function deliverToRuns(ctx: RoutingContext, event: StoredEvent, receivedId: string, now: number): void {
  for (const run of ctx.runs()) {
    if (!run.isActive) continue;
    for (const rule of run.fn.cancel ?? []) {
      const decision = cancelDecision(rule, run, event, receivedId, now, ctx.log);
      if (decision === "stale") {
        ctx.log(`run ${run.id}: cancel event ${logSafe(event.id)} was received before the run was scheduled, ignored`);
      } else if (decision === "cancel") {
        ctx.cancelRun(run, event);
        break;
      }
    }
    if (!run.isActive) continue;
    for (const [stepId, wait] of [...run.waits]) {
      if (waitMatches(wait, run, event, ctx.log)) ctx.resumeWait(run, stepId, event);
    }
  }
}
