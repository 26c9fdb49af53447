import type { Clock } from "./clock";
import type { ConcurrencyCounter } from "./concurrency";
import { functionUuid } from "./ids";
import { applyOp, type OpContext } from "./ops";
import {
  buildCallBody,
  describeCall,
  describeError,
  readCallResponse,
  serializeThrown,
  type CallFailure,
  type CallOutcome,
} from "./protocol";
import type { TimerIndex } from "./queues";
import { DISCOVERY, type PendingCall, type Run } from "./run";
import type { AppTransport } from "./transport";

/** What the call/retry cycle needs from the executor. */
export interface CallContext {
  readonly clock: Clock;
  readonly transport: AppTransport;
  readonly checkpointing: boolean;
  readonly stats: { requests: number };
  readonly slots: ConcurrencyCounter;
  readonly timers: TimerIndex;
  readonly ops: OpContext;
  log(msg: string): void;
  retryDelayMs(attempt: number): number;
  scheduleCall(run: Run, stepId: string, attempt: number, dueAt: number): void;
  scheduleDiscovery(run: Run): void;
  completeRun(run: Run, output: unknown): void;
  failRun(run: Run, error: unknown): void;
  /** A request finished (whatever its outcome). */
  settled(): void;
}

/**
 * The requests to the app in flight, and what their answers do: one request
 * per pending call, its outcome applied to the run (a result, ops, or a
 * function-level failure retried after the backoff). A response for a run
 * that ended meanwhile is dropped: cancellation takes effect between requests.
 */
export class AppCalls {
  /** By the `qi_id` they carry, so a checkpoint can find its request. */
  private readonly byQueueItem = new Map<string, { run: Run; call: PendingCall }>();
  private readonly inFlight = new Set<Promise<void>>();
  private finished?: () => void;

  constructor(private readonly ctx: CallContext) {}

  get size(): number {
    return this.inFlight.size;
  }

  /** The in-flight request a `qi_id` names, if it is still in flight. */
  find(queueItemId: string): { run: Run; call: PendingCall } | undefined {
    return this.byQueueItem.get(queueItemId);
  }

  /**
   * Resolves when a request finishes. Not Promise.race(inFlight): that adds a
   * reaction to every request still in flight on each call, and they pile up
   * on the slow ones.
   */
  async oneFinished(): Promise<void> {
    await new Promise<void>((resolve) => (this.finished = resolve));
    this.finished = undefined;
  }

  dispatch(run: Run, call: PendingCall): void {
    const { ctx } = this;
    run.inFlight.add(call.stepId);
    const queueItemId = this.queueItemId(run, call);
    this.byQueueItem.set(queueItemId, { run, call });
    ctx.slots.acquire(run);
    const done = this.execute(run, call)
      .catch((error: unknown) => ctx.log(`run ${run.id}: internal error ${describeError(error)}`))
      .finally(() => {
        this.byQueueItem.delete(queueItemId);
        ctx.slots.release(run);
        this.inFlight.delete(done);
        this.finished?.();
        ctx.settled();
      });
    this.inFlight.add(done);
  }

  /** Function-level failure of a request (not a step error): retry after the backoff, or fail the run. */
  retryOrFail(run: Run, call: PendingCall, failure: CallFailure): void {
    const { ctx } = this;
    const nextAttempt = call.attempt + 1;
    if (failure.retriable && nextAttempt < run.maxAttempts) {
      const delay = failure.retryAfterMs ?? ctx.retryDelayMs(nextAttempt);
      ctx.log(`run ${run.id}: request failed (${describeError(failure.error)}), retry ${nextAttempt} in ${delay}ms`);
      ctx.scheduleCall(run, call.stepId, nextAttempt, ctx.clock.now() + delay);
      return;
    }
    ctx.failRun(run, failure.error);
  }

  private async execute(run: Run, call: PendingCall): Promise<void> {
    let outcome: CallOutcome;
    try {
      outcome = await this.callApp(run, call);
    } catch (error) {
      outcome = { kind: "error", error: serializeThrown(error), retriable: true };
    } finally {
      run.inFlight.delete(call.stepId);
    }
    if (!run.isActive) {
      this.ctx.log(`run ${run.id} is ${run.status}; dropped the response for ${call.stepId}`);
      return;
    }
    this.applyOutcome(run, call, outcome);
    if (call.stepId === DISCOVERY && run.rediscover) {
      run.rediscover = false;
      this.ctx.scheduleDiscovery(run);
    }
  }

  private async callApp(run: Run, call: PendingCall): Promise<CallOutcome> {
    const { ctx } = this;
    ctx.log(`run ${run.id}: calling ${run.fn.id} (${describeCall(run, call)}, attempt ${call.attempt})`);
    const query = { fnId: run.fn.id, stepId: call.stepId };
    ctx.stats.requests++;
    const ids = ctx.checkpointing ? { fnId: functionUuid(run.fn.id), queueItemId: this.queueItemId(run, call) } : undefined;
    const res = await ctx.transport.request("POST", query, buildCallBody(run, call, ids));
    return readCallResponse(res, ctx.clock.now());
  }

  /** `ctx.qi_id`: names the request, so a checkpoint can reset its attempts. */
  private queueItemId(run: Run, call: PendingCall): string {
    return `${run.id}:${call.seq}`;
  }

  private applyOutcome(run: Run, call: PendingCall, outcome: CallOutcome): void {
    if (outcome.kind === "complete") return this.ctx.completeRun(run, outcome.output);
    if (outcome.kind === "error") return this.retryOrFail(run, call, outcome);
    // More than one op means the function is running things in parallel.
    if (outcome.ops.length > 1) run.disableImmediateExecution = true;
    for (const op of outcome.ops) {
      if (!run.isActive) break;
      applyOp(this.ctx.ops, run, call, op);
    }
    // The only place a run gains sleeps, waits or invokes.
    this.ctx.timers.track(run);
  }
}
