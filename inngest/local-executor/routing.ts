import { celKey } from "./cel";
import type { EventLedger } from "./ledger";
import { cancelDecision, functionTriggeredBy, waitMatches } from "./matching";
import { INTERNAL_EVENTS } from "./protocol";
import { logSafe } from "./request-guard";
import type { Run } from "./run";
import type { FunctionConfig, StoredEvent } from "./types";

/** What routing an event needs from the executor. */
export interface RoutingContext {
  now(): number;
  log(msg: string): void;
  readonly ledger: EventLedger;
  functions(): Iterable<FunctionConfig>;
  runs(): Iterable<Run>;
  startRun(fn: FunctionConfig, event: StoredEvent): void;
  cancelRun(run: Run, cause: StoredEvent): void;
  scheduleDiscovery(run: Run): void;
}

/**
 * Where an accepted event goes: nowhere if its id was seen in the last 24h;
 * else it cancels or resumes the running runs it matches, then starts the
 * functions it triggers (unless their idempotency key was used).
 */
export function routeEvent(ctx: RoutingContext, event: StoredEvent, receivedId: string): void {
  const now = ctx.now();
  if (!ctx.ledger.markSeen(event.id, now)) {
    ctx.log(`event ${logSafe(event.name)} ${logSafe(event.id)}: duplicate id within 24h, ignored`);
    return;
  }
  ctx.log(`event ${logSafe(event.name)} ${logSafe(event.id)}`);
  deliverToRuns(ctx, event, receivedId, now);
  if (event.name === INTERNAL_EVENTS.invoked) return; // only started by step.invoke
  for (const fn of ctx.functions()) {
    if (!functionTriggeredBy(fn, event, ctx.log)) continue;
    if (isDuplicateByIdempotency(ctx, fn, event, now)) continue;
    ctx.startRun(fn, event);
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
      if (!waitMatches(wait, run, event, ctx.log)) continue;
      run.waits.delete(stepId);
      run.memoize(stepId, "WaitForEvent", { data: event });
      ctx.scheduleDiscovery(run);
    }
  }
}

function isDuplicateByIdempotency(ctx: RoutingContext, fn: FunctionConfig, event: StoredEvent, now: number): boolean {
  if (!fn.idempotency) return false;
  const key = celKey(fn.idempotency, { event }, ctx.log);
  if (key === undefined || ctx.ledger.claimKey(fn.id, key, now)) return false;
  ctx.log(`${fn.id}: idempotency key "${key}" already used, no new run`);
  return true;
}
