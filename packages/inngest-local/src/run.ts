import type { ConcurrencyBucket } from "./concurrency";
import type { ThrottleBucket } from "./flow-control";
import type { FunctionConfig, RunInfo, RunStatus, StepRecord, StepResult, StoredEvent } from "./types";

/** The discovery "step id": asks the SDK to run the function and report new ops. */
export const DISCOVERY = "step";

/** A request to the app that is waiting to be made. */
export interface PendingCall {
  /** DISCOVERY or a hashed step id. */
  stepId: string;
  /** ctx.attempt for this request (function-level retries of this edge). */
  attempt: number;
  dueAt: number;
  /** Insertion order, so calls due at the same time go FIFO. */
  seq: number;
}

export interface SleepState {
  name: string;
  wakeAt: number;
}

export interface WaitState {
  name: string;
  event: string;
  if?: string;
  expiresAt: number;
}

export interface InvokeState {
  name: string;
  childRunId: string;
  expiresAt: number;
}

/** Mutable state of one function run. The executor drives it. */
export class Run {
  readonly id: string;
  readonly fn: FunctionConfig;
  readonly event: StoredEvent;
  readonly startedAt: number;
  /** Runs are visited in the order they started: this is that order. */
  readonly index: number;
  /** Set when this run was started by `step.invoke` in another run. */
  readonly parent?: { runId: string; stepId: string };

  status: "active" | "completed" | "failed" | "cancelled" = "active";
  output?: unknown;
  error?: unknown;
  endedAt?: number;

  /** Memoized step results, sent back as `steps`. */
  readonly memo = new Map<string, StepResult>();
  /** Completion order of memoized steps: `ctx.stack.stack`. */
  readonly stack: string[] = [];
  readonly records: StepRecord[] = [];
  /**
   * `memo` as the JSON members of the `steps` object, serialized once each:
   * every request sends all of them again.
   */
  private readonly memoJson: string[] = [];
  private eventJsonCache?: string;
  /** Step names by hashed id, learnt from ops. */
  readonly names = new Map<string, string>();
  /**
   * Steps reported but not yet memoized (planned, sleeping, waiting,
   * invoking). A later discovery reports them again; they must not be
   * scheduled twice.
   */
  readonly known = new Set<string>();
  readonly stepAttempts = new Map<string, number>();

  readonly pending: PendingCall[] = [];
  readonly inFlight = new Set<string>();
  readonly sleeps = new Map<string, SleepState>();
  readonly waits = new Map<string, WaitState>();
  /** Events that resumed a wait of this run: they are never matched against its later waits (waits.ts). */
  readonly resumedBy = new Set<StoredEvent>();
  readonly invokes = new Map<string, InvokeState>();
  /** Function concurrency buckets, keys evaluated when the run was scheduled (concurrency.ts). */
  concurrency: ConcurrencyBucket[] = [];
  /** The throttle its start waits for, until it has started (flow-control.ts). */
  throttle?: ThrottleBucket;
  /** A step finished while a discovery was in flight: discover again after it. */
  rediscover = false;
  /**
   * Sticky once the SDK reported parallel ops: from then on a discovery must
   * not run a step itself, or a step already in flight could run twice.
   */
  disableImmediateExecution = false;

  constructor(init: {
    id: string;
    fn: FunctionConfig;
    event: StoredEvent;
    startedAt: number;
    index: number;
    parent?: { runId: string; stepId: string };
  }) {
    this.id = init.id;
    this.fn = init.fn;
    this.event = init.event;
    this.startedAt = init.startedAt;
    this.index = init.index;
    this.parent = init.parent;
  }

  get isActive(): boolean {
    return this.status === "active";
  }

  /** Total attempts per step/request: 1 + the function's configured retries. */
  get maxAttempts(): number {
    const retries = this.fn.steps?.step?.retries?.attempts;
    return (typeof retries === "number" ? retries : 4) + 1;
  }

  memoize(stepId: string, op: string, result: StepResult): void {
    if (this.memo.has(stepId)) return;
    this.memo.set(stepId, result);
    this.memoJson.push(`${JSON.stringify(stepId)}:${JSON.stringify(result)}`);
    this.stack.push(stepId);
    this.known.delete(stepId);
    this.records.push({ id: stepId, name: this.names.get(stepId) ?? stepId, op, ...result });
  }

  /** `JSON.stringify(Object.fromEntries(memo))`, without serializing every step again. */
  stepsJson(): string {
    return `{${this.memoJson.join(",")}}`;
  }

  /** `JSON.stringify(event)`: the trigger event never changes. */
  eventJson(): string {
    this.eventJsonCache ??= JSON.stringify(this.event);
    return this.eventJsonCache;
  }

  hasPending(stepId: string): boolean {
    return this.pending.some((call) => call.stepId === stepId);
  }

  /** Ends the run and drops everything it was waiting for. */
  finish(status: "completed" | "failed" | "cancelled", endedAt: number, outcome: { output?: unknown; error?: unknown } = {}): void {
    this.status = status;
    this.endedAt = endedAt;
    if ("output" in outcome) this.output = outcome.output;
    if ("error" in outcome) this.error = outcome.error;
    this.pending.length = 0;
    this.sleeps.clear();
    this.waits.clear();
    this.invokes.clear();
  }

  /**
   * Ends sleeps and wait/invoke timeouts due at `now`, memoizing what the SDK
   * expects for each. Returns whether anything changed.
   */
  expireTimers(now: number): boolean {
    let changed = false;
    for (const [stepId, sleep] of [...this.sleeps]) {
      if (sleep.wakeAt > now) continue;
      this.sleeps.delete(stepId);
      this.memoize(stepId, "Sleep", { data: null });
      changed = true;
    }
    for (const [stepId, wait] of [...this.waits]) {
      if (wait.expiresAt > now) continue;
      this.waits.delete(stepId);
      this.memoize(stepId, "WaitForEvent", { data: null }); // timed out
      changed = true;
    }
    for (const [stepId, invoke] of [...this.invokes]) {
      if (invoke.expiresAt > now) continue;
      this.invokes.delete(stepId);
      this.memoize(stepId, "InvokeFunction", {
        error: { name: "InngestInvokeTimeoutError", message: "Timed out waiting for invoked function to complete" },
      });
      changed = true;
    }
    return changed;
  }

  /** When the earliest sleep, wait timeout or invoke timeout ends (Infinity if none). */
  nextTimerAt(): number {
    let next = Number.POSITIVE_INFINITY;
    for (const sleep of this.sleeps.values()) next = Math.min(next, sleep.wakeAt);
    for (const wait of this.waits.values()) next = Math.min(next, wait.expiresAt);
    for (const invoke of this.invokes.values()) next = Math.min(next, invoke.expiresAt);
    return next;
  }

  get publicStatus(): RunStatus {
    if (this.status !== "active") return this.status;
    if (this.pending.length > 0 || this.inFlight.size > 0) return "running";
    if (this.waits.size > 0 || this.invokes.size > 0) return "waiting";
    if (this.sleeps.size > 0) return "sleeping";
    return "running";
  }

  toInfo(): RunInfo {
    return {
      id: this.id,
      functionId: this.fn.id,
      event: this.event,
      status: this.publicStatus,
      ...(this.status === "completed" ? { output: this.output } : {}),
      ...(this.error !== undefined ? { error: this.error } : {}),
      startedAt: this.startedAt,
      ...(this.endedAt !== undefined ? { endedAt: this.endedAt } : {}),
      steps: this.records.map((record) => ({ ...record })),
    };
  }
}
