import { celCompiles } from "./cel";
import { resolveWakeTime } from "./duration";
import { waitMatches } from "./matching";
import { logSafe } from "./request-guard";
import type { Run } from "./run";
import type { OutgoingOp, StoredEvent } from "./types";

/**
 * `step.waitForEvent` as the real server handles the op
 * (executor.go:5376-5470 `handleGeneratorWaitForEvent`).
 */

/** The furthest a wait's timeout (or a sleep) may end: 366 days (pkg/consts/consts.go:87-94). */
export const MAX_WAIT_MS = 366 * 86_400_000;

/**
 * How long after an event's receipt a new wait may still match it. The server
 * matches an event against the pauses that exist when the event is
 * *processed*, skipping those created more than 5 s after it was received
 * (pkg/execution/state/pause.go:269-277 `CreatedAfter`; executor.go:2917,
 * :3015). With pipeline latency, an event sent shortly before a wait
 * registered can therefore resume it; this executor routes synchronously, so
 * it replays the last 5 s of events to each new wait: the server's slowest
 * case. `waitLookbackMs: 0` gives its fastest (the event is gone).
 */
export const WAIT_LOOKBACK_MS = 5_000;

/** Events received in the last `windowMs`, oldest first. */
export class RecentEvents {
  private readonly events: { event: StoredEvent; receivedAt: number }[] = [];
  constructor(public windowMs: number) {}

  add(event: StoredEvent, receivedAt: number): void {
    if (this.windowMs <= 0) return;
    this.prune(receivedAt);
    this.events.push({ event, receivedAt });
  }

  /** Events a wait created at `now` may still match: received at most `windowMs` before. */
  matchable(now: number): StoredEvent[] {
    this.prune(now);
    return this.events.map(({ event }) => event);
  }

  private prune(now: number): void {
    const oldest = now - this.windowMs;
    let drop = 0;
    while (drop < this.events.length && this.events[drop].receivedAt < oldest) drop++;
    if (drop > 0) this.events.splice(0, drop);
  }
}

/** What registering a wait needs from the executor. */
export interface WaitContext {
  now(): number;
  log(msg: string): void;
  readonly recent: RecentEvents;
  failRun(run: Run, error: unknown): void;
  resumeWait(run: Run, stepId: string, event: StoredEvent): void;
}

/**
 * Registers a wait, or fails the run as the server does: at once and without
 * retries ("fail-early", executor.go:2348-2390) when the `if` does not
 * compile (InvalidExpression, executor.go:5382-5405) or the timeout ends more
 * than 366 days away (InngestErrTimeoutTooLong, opcode.go:618-639). An empty
 * or missing timeout expires at once (opcode.go:619-623).
 */
export function registerWait(ctx: WaitContext, run: Run, op: OutgoingOp): void {
  const opts = op.opts ?? {};
  const now = ctx.now();
  const condition = typeof opts.if === "string" && opts.if !== "" ? opts.if : undefined;
  if (condition !== undefined && !celCompiles(condition)) {
    return ctx.failRun(run, {
      name: "InvalidExpression",
      message: "Wait for event If expression failed to compile",
      stack: condition,
    });
  }
  const timeout = typeof opts.timeout === "string" ? opts.timeout : "";
  const expiresAt = timeout === "" ? now : resolveWakeTime(timeout, now);
  if (expiresAt === undefined) {
    return ctx.failRun(run, { name: "Error", message: `unable to parse wait for event expires: "${timeout}"` });
  }
  if (expiresAt - now > MAX_WAIT_MS) {
    return ctx.failRun(run, {
      name: "InngestErrTimeoutTooLong",
      message: `The wait-for-event timeout "${timeout}" expires more than one year in the future; timeouts may last at most one year.`,
    });
  }
  const wait = { name: run.names.get(op.id) ?? op.id, event: op.name ?? "", if: condition, expiresAt };
  run.known.add(op.id);
  run.waits.set(op.id, wait);
  ctx.log(`run ${run.id}: waiting for ${logSafe(wait.event)}`);
  // The first event that matches wins (the pause is consumed once, executor.go:5463-5467).
  // Not the run's own trigger: its pauses are looked up while the run is
  // being scheduled (runner.go:282-361), before the run made any request *(inferred)*.
  // Nor an event that already resumed a wait of this run: the server matches
  // an event once, against the pauses that exist when it is processed, and
  // this wait was registered after that (it follows from the resume).
  const early = ctx.recent
    .matchable(now)
    .find((event) => event !== run.event && !run.resumedBy.has(event) && waitMatches(wait, run, event, ctx.log));
  if (early) {
    ctx.log(`run ${run.id}: ${logSafe(early.name)} ${logSafe(early.id)} arrived shortly before the wait; it resumes it`);
    ctx.resumeWait(run, op.id, early);
  }
}
