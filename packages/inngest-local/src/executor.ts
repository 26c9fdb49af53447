import { isManualClock, systemClock, type Clock } from "./clock";
import { tableBackoffMs } from "./backoff";
import { handleApiRequest } from "./checkpoint";
import { ConcurrencyCounter, concurrencyBuckets } from "./concurrency";
import { AppCalls } from "./calls";
import { CronTable } from "./cron";
import { Gcra, checkRateLimit, throttleBucket } from "./flow-control";
import { handleEventApiRequest, startEventApiServer, type EventApiServer } from "./event-api";
import { MonotonicUlid, ulid } from "./ids";
import { generateEventKey, generateSigningKey, hashSigningKey, sameSecret } from "./keys";
import { EventLedger } from "./ledger";
import { RealTimeLoop } from "./loop";
import type { OpContext } from "./ops";
import { INTERNAL_EVENTS, describeError } from "./protocol";
import { CallQueue, TimerIndex } from "./queues";
import { logSafe, type Refusal } from "./request-guard";
import { routeEvent, type RoutingContext } from "./routing";
import { DISCOVERY, Run } from "./run";
import { syncApp } from "./sync";
import { createTransport, type AppTransport } from "./transport";
import type { EventPayload, FunctionConfig, RunInfo, ServeHandlers, StoredEvent } from "./types";
import type { ConcurrencyLimit } from "./validate";
import { RunWaiters } from "./waiters";
import { RecentEvents, WAIT_LOOKBACK_MS } from "./waits";

export interface LocalExecutorOptions {
  /** Defaults to the `app_id` the app reports at sync. */
  appId?: string;
  /** In-process: the route handlers exported by `serve()` from "inngest/next". */
  handlers?: ServeHandlers;
  /** Over HTTP (or the URL reported to the app in-process), e.g. http://localhost:3000/api/inngest */
  serveUrl?: string;
  /** Default: real time. Use `ManualClock` in tests. */
  clock?: Clock;
  /** Parallel requests to the app. Default 4. */
  concurrency?: number;
  log?: (msg: string) => void;
  /**
   * Signs every request to the app, which serves in cloud mode with the same
   * key (INNGEST_SIGNING_KEY), and authenticates the SDK's checkpoint calls.
   * Default: a fresh `signkey-local-<64 hex>` (see `signingKey`).
   */
  signingKey?: string;
  /** The key `inngest.send()` must use on the event API (`/e/<key>`). Default: a fresh random one. */
  eventKey?: string;
  /**
   * Send `ctx.fn_id` as the real server always does, so that the SDK runs in
   * async checkpointing mode, production's code path (checkpoint.ts). Default
   * true; false gives the SDK's classic mode (one step per request).
   */
  checkpointing?: boolean;
  /**
   * Delay before retry `attempt` (1-based). Default: the real server's table,
   * 15 s, 30 s, 1 m, 2 m, 5 m... plus 0-30 s of jitter (backoff.ts), with a
   * ManualClock too: tests advance the clock through it.
   */
  retryDelayMs?: (attempt: number) => number;
  /**
   * How long after its receipt an event may still resume a wait registered
   * later. Default 5 s, the real server's bound (waits.ts); 0 models a server
   * that processed the event before the wait existed.
   */
  waitLookbackMs?: number;
  /** HTTP mode only. Default 5 minutes. */
  requestTimeoutMs?: number;
}

/**
 * Runs Inngest functions against an app's real `serve()` handler, speaking the
 * SDK's public HTTP protocol (sync, call body, ops). For tests (with
 * `ManualClock`) and for offline development (real clock, `start()`).
 */
export class LocalExecutor {
  readonly clock: Clock;
  readonly signingKey: string;
  readonly eventKey: string;
  readonly checkpointing: boolean;
  private readonly hashedSigningKey: string;
  /** Requests made to the app's serve endpoint, and checkpoints the SDK made. */
  readonly stats = { requests: 0, checkpoints: 0 };
  private appId?: string;
  private readonly transport: AppTransport;
  private readonly concurrency: number;
  private readonly log: (msg: string) => void;
  private readonly retryDelayMs: (attempt: number) => number;

  private readonly fns = new Map<string, FunctionConfig>();
  /** Run ids and the ids events get on receipt, in one order (D1). */
  private readonly ids = new MonotonicUlid();
  private fnConcurrency = new Map<string, ConcurrencyLimit[]>();
  private readonly slots = new ConcurrencyCounter();
  /** rateLimit and idempotency buckets (drop), throttle buckets (delay): flow-control.ts. */
  private readonly rateLimits = new Gcra();
  private readonly throttles = new Gcra();
  /** Events of the last few seconds, for waits registered after them (waits.ts). */
  private readonly recent = new RecentEvents(WAIT_LOOKBACK_MS);
  private readonly crons = new CronTable();
  private readonly ledger = new EventLedger();
  private readonly runMap = new Map<string, Run>();
  private readonly calls = new CallQueue();
  private readonly timers = new TimerIndex();

  private seq = 0;
  private draining?: Promise<void>;
  private readonly loop: RealTimeLoop;
  private readonly waiters = new RunWaiters();

  /** The executor internals that op handling (ops.ts) may use. */
  private readonly opContext: OpContext = {
    now: () => this.clock.now(),
    log: (msg) => this.log(msg),
    recent: this.recent,
    resumeWait: (run, stepId, event) => this.resumeWait(run, stepId, event),
    retryDelayMs: (attempt) => this.retryDelayMs(attempt),
    scheduleCall: (run, stepId, attempt, dueAt) => this.scheduleCall(run, stepId, attempt, dueAt),
    scheduleDiscovery: (run) => this.scheduleDiscovery(run),
    completeRun: (run, output) => this.completeRun(run, output),
    failRun: (run, error) => this.failRun(run, error),
    retryOrFail: (run, call, failure) => this.appCalls.retryOrFail(run, call, failure),
    startInvoked: (run, stepId, functionId, data) => this.startInvoked(run, stepId, functionId, data),
  };

  /** Requests to the app in flight, and what their answers do (calls.ts). */
  private readonly appCalls: AppCalls;

  /** The executor internals that event routing (routing.ts) may use. */
  private readonly routing: RoutingContext = {
    now: () => this.clock.now(),
    log: (msg) => this.log(msg),
    ledger: this.ledger,
    recent: this.recent,
    functions: () => this.fns.values(),
    runs: () => this.runMap.values(),
    scheduleRun: (fn, event) => this.scheduleRun(fn, event),
    cancelRun: (run, cause) => this.cancelRun(run, cause),
    resumeWait: (run, stepId, event) => this.resumeWait(run, stepId, event),
  };

  constructor(opts: LocalExecutorOptions) {
    this.appId = opts.appId;
    this.clock = opts.clock ?? systemClock;
    this.signingKey = opts.signingKey ?? generateSigningKey();
    this.hashedSigningKey = hashSigningKey(this.signingKey);
    this.eventKey = opts.eventKey ?? generateEventKey();
    this.checkpointing = opts.checkpointing ?? true;
    this.concurrency = Math.max(1, opts.concurrency ?? 4);
    this.recent.windowMs = Math.max(0, opts.waitLookbackMs ?? WAIT_LOOKBACK_MS);
    this.log = opts.log ?? (() => {});
    this.retryDelayMs = opts.retryDelayMs ?? ((attempt) => tableBackoffMs(attempt));
    this.transport = createTransport({ ...opts, signingKey: this.signingKey });
    this.appCalls = new AppCalls({
      clock: this.clock,
      transport: this.transport,
      checkpointing: this.checkpointing,
      stats: this.stats,
      slots: this.slots,
      timers: this.timers,
      ops: this.opContext,
      log: (msg) => this.log(msg),
      retryDelayMs: (attempt) => this.retryDelayMs(attempt),
      scheduleCall: (run, stepId, attempt, dueAt) => this.scheduleCall(run, stepId, attempt, dueAt),
      scheduleDiscovery: (run) => this.scheduleDiscovery(run),
      completeRun: (run, output) => this.completeRun(run, output),
      failRun: (run, error) => this.failRun(run, error),
      settled: () => this.waiters.notify(),
    });
    this.loop = new RealTimeLoop({
      tick: () => this.tick(),
      nextDueTime: () => this.nextDueTime(true),
      now: () => this.clock.now(),
      log: this.log,
    });
  }

  // ---------------------------------------------------------------- sync

  /** In-band sync: the app's function configs, checked as the real server checks them (sync.ts). */
  async sync(): Promise<FunctionConfig[]> {
    const { appId, functions, concurrency, crons } = await syncApp(this.transport, this.log);
    this.appId ??= appId;
    this.fns.clear();
    for (const fn of functions) this.fns.set(fn.id, fn);
    this.fnConcurrency = concurrency;
    this.crons.reset(crons, this.clock.now());
    this.log(`synced ${functions.length} function(s): ${functions.map((f) => f.id).join(", ")}`);
    this.loop.wake();
    return functions;
  }

  functions(): FunctionConfig[] {
    return [...this.fns.values()];
  }

  /** A function's full id: accepts "my-fn" or "<appId>-my-fn". */
  resolveFunctionId(id: string): string {
    if (this.fns.has(id)) return id;
    const prefixed = `${this.appId}-${id}`;
    return this.fns.has(prefixed) ? prefixed : id;
  }

  // ---------------------------------------------------------------- events

  /**
   * The event API: assigns ids/timestamps, drops ids seen in the last 24h,
   * cancels and resumes running runs, starts triggered runs. Does not run
   * anything itself: work happens in `tick()`/`advance()` or the `start()` loop.
   */
  async send(events: EventPayload | EventPayload[]): Promise<{ ids: string[] }> {
    return this.acceptEvents(Array.isArray(events) ? events : [events]);
  }

  /** `send()` with optional id derivation (the event API's id seed). */
  acceptEvents(payloads: EventPayload[], idFor?: (index: number) => string | undefined): { ids: string[] } {
    const now = this.clock.now();
    // Received (and so ordered against run ids) now, before any of them is routed.
    const received = payloads.map(() => this.ids.next(now));
    const stored = payloads.map((payload, index): StoredEvent => {
      if (!payload || typeof payload.name !== "string" || payload.name === "") {
        throw new Error(`event ${index} has no name`);
      }
      return {
        ...payload,
        id: payload.id || idFor?.(index) || ulid(now),
        data: payload.data ?? {},
        ts: typeof payload.ts === "number" ? payload.ts : now,
      };
    });
    stored.forEach((event, index) => this.ingest(event, received[index]));
    this.loop.wake();
    return { ids: stored.map((event) => event.id) };
  }

  eventApiHandler(req: Request): Promise<Response> {
    return handleEventApiRequest(this, req);
  }

  /** Serves the event API (`POST /e/:key`) and the checkpoint API so the app's client can reach them. */
  listen(port: number, host = "127.0.0.1"): Promise<EventApiServer> {
    return startEventApiServer(this, port, host);
  }

  /**
   * What the app's Inngest client needs to talk to this executor in cloud
   * mode: the keys, and the base URL of `listen()` for events and checkpoints.
   */
  appEnv(baseUrl: string): Record<string, string> {
    return { INNGEST_SIGNING_KEY: this.signingKey, INNGEST_EVENT_KEY: this.eventKey, INNGEST_BASE_URL: baseUrl };
  }

  /** The event API's key check (`/e/<key>`). */
  refuseEventKey(key: string): Refusal | undefined {
    return sameSecret(key, this.eventKey) ? undefined : { status: 401, error: "event key not found" };
  }

  /**
   * The Inngest API under `/v1/`, authenticated as the SDK does it
   * (`Authorization: Bearer <hashed signing key>`, SDK helpers/net.js). Only
   * async checkpoints are implemented; anything else is refused loudly, so
   * that an SDK feature the executor lacks shows instead of degrading.
   */
  apiRequest(req: Request, url: URL): Promise<Response> {
    return handleApiRequest(
      {
        log: (msg) => this.log(msg),
        findRun: (id) => this.runMap.get(id),
        findCall: (qi) => this.appCalls.find(qi),
        hashedSigningKey: this.hashedSigningKey,
        checkpointed: () => void this.stats.checkpoints++,
      },
      req,
      url,
    );
  }

  private ingest(event: StoredEvent, receivedId = this.ids.next(this.clock.now())): void {
    routeEvent(this.routing, event, receivedId);
  }

  // ---------------------------------------------------------------- runs

  /** A triggered start: rateLimit and idempotency may drop it before any run exists. */
  private scheduleRun(fn: FunctionConfig, event: StoredEvent): void {
    const decision = checkRateLimit(this.rateLimits, fn, event, this.clock.now());
    if (decision.reason) this.log(`${fn.id}: ${logSafe(decision.reason)}`);
    if (decision.start) this.startRun(fn, event);
  }

  private startRun(fn: FunctionConfig, event: StoredEvent, parent?: Run["parent"]): Run {
    const now = this.clock.now();
    const run = new Run({ id: this.ids.next(now), fn, event, startedAt: now, index: this.runMap.size, parent });
    run.concurrency = concurrencyBuckets(fn.id, this.fnConcurrency.get(fn.id) ?? [], event);
    run.throttle = throttleBucket(fn, event);
    this.runMap.set(run.id, run);
    this.log(`run ${run.id} started: ${fn.id} for ${logSafe(event.name)}`);
    this.scheduleCall(run, DISCOVERY, 0, now);
    return run;
  }

  private scheduleCall(run: Run, stepId: string, attempt: number, dueAt: number): void {
    const call = { stepId, attempt, dueAt, seq: this.seq++ };
    run.pending.push(call);
    this.calls.add(run, call);
  }

  /** Asks the SDK what comes next, once per batch of new results. */
  private scheduleDiscovery(run: Run): void {
    if (!run.isActive || run.hasPending(DISCOVERY)) return;
    if (run.inFlight.has(DISCOVERY)) {
      run.rediscover = true;
      return;
    }
    this.scheduleCall(run, DISCOVERY, 0, this.clock.now());
  }

  private startInvoked(parent: Run, stepId: string, functionId: string, data: Record<string, unknown>): Run | undefined {
    const target = this.fns.get(functionId);
    if (!target) return undefined;
    const now = this.clock.now();
    const event: StoredEvent = { id: ulid(now), name: INTERNAL_EVENTS.invoked, data, ts: now };
    this.ledger.markSeen(event.id, now);
    return this.startRun(target, event, { runId: parent.id, stepId });
  }

  private completeRun(run: Run, output: unknown): void {
    run.finish("completed", this.clock.now(), { output });
    this.log(`run ${run.id} completed`);
    this.afterFinish(run);
    this.emitInternal(INTERNAL_EVENTS.finished, { function_id: run.fn.id, run_id: run.id, event: run.event, result: output });
  }

  private failRun(run: Run, error: unknown): void {
    run.finish("failed", this.clock.now(), { error });
    this.log(`run ${run.id} failed: ${describeError(error)}`);
    this.afterFinish(run);
    // Triggers the function's onFailure handler, if it has one.
    this.emitInternal(INTERNAL_EVENTS.failed, { function_id: run.fn.id, run_id: run.id, event: run.event, error });
    this.emitInternal(INTERNAL_EVENTS.finished, { function_id: run.fn.id, run_id: run.id, event: run.event, error });
  }

  /**
   * Takes effect between steps: a request already in flight finishes, its
   * response is dropped, and nothing more is called for this run.
   */
  private cancelRun(run: Run, cause: StoredEvent): void {
    run.finish("cancelled", this.clock.now());
    this.log(`run ${run.id} cancelled by ${logSafe(cause.name)} ${logSafe(cause.id)}`);
    this.afterFinish(run);
    this.emitInternal(INTERNAL_EVENTS.cancelled, { function_id: run.fn.id, run_id: run.id, event: run.event });
  }

  private resumeWait(run: Run, stepId: string, event: StoredEvent): void {
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
  private canStart(run: Run): boolean | number {
    if (!this.slots.hasSlot(run)) return false;
    const throttle = run.throttle;
    if (!throttle) return true;
    const now = this.clock.now();
    if (!this.throttles.take(throttle.key, now, throttle.rate)) return this.throttles.admitAt(throttle.key, now, throttle.rate);
    run.throttle = undefined;
    return true;
  }

  /** Resumes a parent waiting in `step.invoke`, and wakes `waitForRun` callers. */
  private afterFinish(run: Run): void {
    const link = run.parent;
    const parent = link && this.runMap.get(link.runId);
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
    this.waiters.notify();
  }

  private emitInternal(name: string, data: Record<string, unknown>): void {
    const now = this.clock.now();
    this.ingest({ id: ulid(now), name, data, ts: now });
  }

  // ---------------------------------------------------------------- scheduling

  /** Ends sleeps, wait/invoke timeouts and fires crons that are due at `now`. */
  private processTimers(now: number): void {
    for (const { functionId, cron, dueAt } of this.crons.takeDue(now)) {
      const fn = this.fns.get(functionId);
      if (!fn) continue;
      const event: StoredEvent = { id: ulid(now), name: INTERNAL_EVENTS.cron, data: { cron }, ts: dueAt };
      this.ledger.markSeen(event.id, now);
      this.startRun(fn, event);
    }
    for (const run of this.timers.takeDue(now)) {
      if (run.expireTimers(now)) this.scheduleDiscovery(run);
      this.timers.track(run);
    }
  }

  private async drainLoop(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      this.processTimers(now);
      while (this.appCalls.size < this.concurrency) {
        const next = this.calls.takeDue(now, (run) => this.canStart(run));
        if (!next) break;
        this.appCalls.dispatch(next.run, next.call);
      }
      if (this.appCalls.size === 0) return;
      await this.appCalls.oneFinished();
    }
  }

  /** Runs everything due at the clock's current time (steps, resumed sleeps, timed-out waits, due crons) until idle. */
  async tick(): Promise<void> {
    if (!this.draining) {
      this.draining = this.drainLoop().finally(() => {
        this.draining = undefined;
      });
    }
    return this.draining;
  }

  runUntilIdle(): Promise<void> {
    return this.tick();
  }

  /** The earliest future time something becomes due (crons excluded unless asked). */
  nextDueTime(includeCrons = false): number | undefined {
    let next = Math.min(this.calls.nextAt(), this.timers.nextAt());
    if (includeCrons) next = Math.min(next, this.crons.nextAt());
    return Number.isFinite(next) ? next : undefined;
  }

  /**
   * ManualClock only: moves time forward by `ms`, stopping at every sleep end,
   * wait timeout and retry in time order and running the work due there.
   * Crons are not stop points: a cron fires at most once per stop, so a big
   * jump does not replay every missed slot.
   */
  async advance(ms: number): Promise<void> {
    const clock = this.clock;
    if (!isManualClock(clock)) throw new Error("advance() needs a ManualClock");
    const target = clock.now() + ms;
    await this.runUntilIdle();
    for (;;) {
      const next = this.nextDueTime();
      // After runUntilIdle nothing is due at or before now; the check only
      // guards against looping forever on a bug.
      if (next === undefined || next > target || next <= clock.now()) break;
      clock.set(next);
      await this.runUntilIdle();
    }
    clock.set(Math.max(clock.now(), target));
    await this.runUntilIdle();
  }

  /** Real-clock mode: ticks whenever something is due, until `stop()`. */
  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    this.loop.stop();
    await this.draining;
  }

  // ---------------------------------------------------------------- inspection

  runs(filter?: { functionId?: string; status?: RunInfo["status"] }): RunInfo[] {
    const fnId = filter?.functionId && this.resolveFunctionId(filter.functionId);
    return [...this.runMap.values()]
      .filter((run) => !fnId || run.fn.id === fnId)
      .map((run) => run.toInfo())
      .filter((info) => !filter?.status || info.status === filter.status);
  }

  getRun(runId: string): RunInfo | undefined {
    return this.runMap.get(runId)?.toInfo();
  }

  /** Resolves when the run has completed, failed or been cancelled (real-clock mode). */
  waitForRun(runId: string, timeoutMs = 30_000): Promise<RunInfo> {
    return this.waiters.wait(runId, (id) => this.runMap.get(id), timeoutMs);
  }
}
