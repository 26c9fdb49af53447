/**
 * The executor's runs and their lifecycle: started (by an event, a cron or
 * step.invoke), calls to the app scheduled, finished (completed, failed,
 * cancelled), and what a finish wakes: a parent waiting in step.invoke,
 * `waitForRun` callers, and the internal events the real server emits
 * (inngest/function.finished, .failed, .cancelled).
 */
import { ConcurrencyCounter, concurrencyBuckets } from "./concurrency";
import { Gcra, throttleBucket } from "./flow-control";
import { MonotonicUlid, ulid } from "./ids";
import type { EventLedger } from "./ledger";
import { INTERNAL_EVENTS, describeError } from "./protocol";
import type { CallQueue } from "./queues";
import { logSafe } from "./request-guard";
import { DISCOVERY, Run } from "./run";
import type { FunctionConfig, StoredEvent } from "./types";
import type { ConcurrencyLimit } from "./validate";
import type { RunWaiters } from "./waiters";

export interface RunBookContext {
  now: () => number;
  log: (msg: string) => void;
  /** Run ids, in one order with the ids events get on receipt (D1). */
  ids: MonotonicUlid;
  calls: CallQueue;
  slots: ConcurrencyCounter;
  waiters: RunWaiters;
  ledger: EventLedger;
  functions: ReadonlyMap<string, FunctionConfig>;
  concurrencyOf: (functionId: string) => ConcurrencyLimit[];
  /** Routes an internal event as if it had been sent. */
  ingest: (event: StoredEvent) => void;
}

export class RunBook {
  readonly runs = new Map<string, Run>();
  /** Throttle buckets (delay): flow-control.ts. */
  private readonly throttles = new Gcra();
  private seq = 0;

  constructor(private readonly ctx: RunBookContext) {}

  start(fn: FunctionConfig, event: StoredEvent, parent?: Run["parent"]): Run {
    const now = this.ctx.now();
    const run = new Run({ id: this.ctx.ids.next(now), fn, event, startedAt: now, index: this.runs.size, parent });
    run.concurrency = concurrencyBuckets(fn.id, this.ctx.concurrencyOf(fn.id), event);
    run.throttle = throttleBucket(fn, event);
    this.runs.set(run.id, run);
    this.ctx.log(`run ${run.id} started: ${fn.id} for ${logSafe(event.name)}`);
    this.scheduleCall(run, DISCOVERY, 0, now);
    return run;
  }

  scheduleCall(run: Run, stepId: string, attempt: number, dueAt: number): void {
    const call = { stepId, attempt, dueAt, seq: this.seq++ };
    run.pending.push(call);
    this.ctx.calls.add(run, call);
  }

  /** Asks the SDK what comes next, once per batch of new results. */
  scheduleDiscovery(run: Run): void {
    if (!run.isActive || run.hasPending(DISCOVERY)) return;
    if (run.inFlight.has(DISCOVERY)) {
      run.rediscover = true;
      return;
    }
    this.scheduleCall(run, DISCOVERY, 0, this.ctx.now());
  }

  startInvoked(parent: Run, stepId: string, functionId: string, data: Record<string, unknown>): Run | undefined {
    const target = this.ctx.functions.get(functionId);
    if (!target) return undefined;
    const now = this.ctx.now();
    const event: StoredEvent = { id: ulid(now), name: INTERNAL_EVENTS.invoked, data, ts: now };
    this.ctx.ledger.markSeen(event.id, now);
    return this.start(target, event, { runId: parent.id, stepId });
  }

  complete(run: Run, output: unknown): void {
    run.finish("completed", this.ctx.now(), { output });
    this.ctx.log(`run ${run.id} completed`);
    this.afterFinish(run);
    this.emitInternal(INTERNAL_EVENTS.finished, { function_id: run.fn.id, run_id: run.id, event: run.event, result: output });
  }

  fail(run: Run, error: unknown): void {
    run.finish("failed", this.ctx.now(), { error });
    this.ctx.log(`run ${run.id} failed: ${describeError(error)}`);
    this.afterFinish(run);
    // Triggers the function's onFailure handler, if it has one.
    this.emitInternal(INTERNAL_EVENTS.failed, { function_id: run.fn.id, run_id: run.id, event: run.event, error });
    this.emitInternal(INTERNAL_EVENTS.finished, { function_id: run.fn.id, run_id: run.id, event: run.event, error });
  }

  /**
   * Takes effect between steps: a request already in flight finishes, its
   * response is dropped, and nothing more is called for this run.
   */
  cancel(run: Run, cause: StoredEvent): void {
    run.finish("cancelled", this.ctx.now());
    this.ctx.log(`run ${run.id} cancelled by ${logSafe(cause.name)} ${logSafe(cause.id)}`);
    this.afterFinish(run);
    this.emitInternal(INTERNAL_EVENTS.cancelled, { function_id: run.fn.id, run_id: run.id, event: run.event });
  }

  resumeWait(run: Run, stepId: string, event: StoredEvent): void {
    if (!run.waits.delete(stepId)) return;
    run.resumedBy.add(event);
    run.memoize(stepId, "WaitForEvent", { data: event });
    this.scheduleDiscovery(run);
  }

  /**
   * Whether a call may be made now: a free slot in each of the run's
   * concurrency buckets, and for a run that has not started yet, its
   * throttle. A throttled start waits in order until the bucket admits it
   * (queue/backlog.go:190-215, lease_item.go:183); nothing is dropped, and
   * only starts are throttled. Nothing is consumed unless both pass.
   */
  canStart(run: Run): boolean | number {
    if (!this.ctx.slots.hasSlot(run)) return false;
    const throttle = run.throttle;
    if (!throttle) return true;
    const now = this.ctx.now();
    if (!this.throttles.take(throttle.key, now, throttle.rate)) return this.throttles.admitAt(throttle.key, now, throttle.rate);
    run.throttle = undefined;
    return true;
  }

  /** Resumes a parent waiting in `step.invoke`, and wakes `waitForRun` callers. */
  private afterFinish(run: Run): void {
    const link = run.parent;
    const parent = link && this.runs.get(link.runId);
    if (link && parent?.isActive && parent.invokes.has(link.stepId)) {
      const { stepId } = link;
      parent.invokes.delete(stepId);
      const result =
        run.status === "completed"
          ? { data: run.output ?? null }
          : { error: run.error ?? { name: "Error", message: `invoked run ${run.id} was ${run.status}` } };
      parent.memoize(stepId, "InvokeFunction", result);
      this.scheduleDiscovery(parent);
    }
    this.ctx.waiters.notify();
  }

  private emitInternal(name: string, data: Record<string, unknown>): void {
    const now = this.ctx.now();
    this.ctx.ingest({ id: ulid(now), name, data, ts: now });
  }
}
