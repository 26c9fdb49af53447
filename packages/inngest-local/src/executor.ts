import { isManualClock, systemClock, type Clock } from "./clock";
import { tableBackoffMs } from "./backoff";
import { handleApiRequest } from "./checkpoint";
import { ConcurrencyCounter } from "./concurrency";
import { AppCalls } from "./calls";
import { CronTable } from "./cron";
import { Gcra, checkRateLimit } from "./flow-control";
import { handleEventApiRequest, startEventApiServer, type EventApiServer } from "./event-api";
import { MonotonicUlid, ulid } from "./ids";
import { generateEventKey, generateSigningKey, hashSigningKey, sameSecret } from "./keys";
import { EventLedger } from "./ledger";
import { RealTimeLoop } from "./loop";
import type { OpContext } from "./ops";
import { INTERNAL_EVENTS } from "./protocol";
import { CallQueue, TimerIndex } from "./queues";
import { logSafe, type Refusal } from "./request-guard";
import { routeEvent, storedEvent, type RoutingContext } from "./routing";
import type { LocalExecutorOptions } from "./options";
import { RunBook } from "./run-book";
import { syncApp } from "./sync";
import { createTransport, type AppTransport } from "./transport";
import type { EventPayload, FunctionConfig, RunInfo, StoredEvent } from "./types";
import type { ConcurrencyLimit } from "./validate";
import { RunWaiters } from "./waiters";
import { RecentEvents, WAIT_LOOKBACK_MS } from "./waits";

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
  /** rateLimit and idempotency buckets (drop): flow-control.ts. */
  private readonly rateLimits = new Gcra();
  /** Events of the last few seconds, for waits registered after them (waits.ts). */
  private readonly recent = new RecentEvents(WAIT_LOOKBACK_MS);
  private readonly crons = new CronTable();
  private readonly ledger = new EventLedger();
  private readonly calls = new CallQueue();
  private readonly timers = new TimerIndex();
  private readonly waiters = new RunWaiters();
  /** The runs, started and finished (run-book.ts). */
  private readonly book = new RunBook({
    now: () => this.clock.now(),
    log: (msg) => this.log(msg),
    ids: this.ids,
    calls: this.calls,
    slots: this.slots,
    waiters: this.waiters,
    ledger: this.ledger,
    functions: this.fns,
    concurrencyOf: (functionId) => this.fnConcurrency.get(functionId) ?? [],
    ingest: (event) => this.ingest(event),
  });

  private draining?: Promise<void>;
  private readonly loop: RealTimeLoop;

  /** The executor internals that op handling (ops.ts) may use. */
  private readonly opContext: OpContext = {
    now: () => this.clock.now(),
    log: (msg) => this.log(msg),
    recent: this.recent,
    resumeWait: (run, stepId, event) => this.book.resumeWait(run, stepId, event),
    retryDelayMs: (attempt) => this.retryDelayMs(attempt),
    scheduleCall: (run, stepId, attempt, dueAt) => this.book.scheduleCall(run, stepId, attempt, dueAt),
    scheduleDiscovery: (run) => this.book.scheduleDiscovery(run),
    completeRun: (run, output) => this.book.complete(run, output),
    failRun: (run, error) => this.book.fail(run, error),
    retryOrFail: (run, call, failure) => this.appCalls.retryOrFail(run, call, failure),
    startInvoked: (run, stepId, functionId, data) => this.book.startInvoked(run, stepId, functionId, data),
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
    runs: () => this.book.runs.values(),
    scheduleRun: (fn, event) => this.scheduleRun(fn, event),
    cancelRun: (run, cause) => this.book.cancel(run, cause),
    resumeWait: (run, stepId, event) => this.book.resumeWait(run, stepId, event),
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
      scheduleCall: (run, stepId, attempt, dueAt) => this.book.scheduleCall(run, stepId, attempt, dueAt),
      scheduleDiscovery: (run) => this.book.scheduleDiscovery(run),
      completeRun: (run, output) => this.book.complete(run, output),
      failRun: (run, error) => this.book.fail(run, error),
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
    const stored = payloads.map((payload, index) => storedEvent(payload, index, now, payload?.id ? undefined : idFor?.(index)));
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
        findRun: (id) => this.book.runs.get(id),
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
    if (decision.start) this.book.start(fn, event);
  }

  // ---------------------------------------------------------------- scheduling

  /** Ends sleeps, wait/invoke timeouts and fires crons that are due at `now`. */
  private processTimers(now: number): void {
    for (const { functionId, cron, dueAt } of this.crons.takeDue(now)) {
      const fn = this.fns.get(functionId);
      if (!fn) continue;
      const event: StoredEvent = { id: ulid(now), name: INTERNAL_EVENTS.cron, data: { cron }, ts: dueAt };
      this.ledger.markSeen(event.id, now);
      this.book.start(fn, event);
    }
    for (const run of this.timers.takeDue(now)) {
      if (run.expireTimers(now)) this.book.scheduleDiscovery(run);
      this.timers.track(run);
    }
  }

  private async drainLoop(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      this.processTimers(now);
      while (this.appCalls.size < this.concurrency) {
        const next = this.calls.takeDue(now, (run) => this.book.canStart(run));
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
    return [...this.book.runs.values()]
      .filter((run) => !fnId || run.fn.id === fnId)
      .map((run) => run.toInfo())
      .filter((info) => !filter?.status || info.status === filter.status);
  }

  getRun(runId: string): RunInfo | undefined {
    return this.book.runs.get(runId)?.toInfo();
  }

  /** Resolves when the run has completed, failed or been cancelled (real-clock mode). */
  waitForRun(runId: string, timeoutMs = 30_000): Promise<RunInfo> {
    return this.waiters.wait(runId, (id) => this.book.runs.get(id), timeoutMs);
  }
}
