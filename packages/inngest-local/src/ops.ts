import { resolveWakeTime } from "./duration";
import { RUN_COMPLETE_ID, describeError, type CallFailure } from "./protocol";
import type { PendingCall, Run } from "./run";
import type { OutgoingOp } from "./types";
import { MAX_WAIT_MS, registerWait, type WaitContext } from "./waits";

/** What op handling needs from the executor. */
export interface OpContext extends WaitContext {
  retryDelayMs(attempt: number): number;
  scheduleCall(run: Run, stepId: string, attempt: number, dueAt: number): void;
  scheduleDiscovery(run: Run): void;
  completeRun(run: Run, output: unknown): void;
  /** Function-level failure: retry the request that got it, or fail the run. */
  retryOrFail(run: Run, call: PendingCall, failure: CallFailure): void;
  /** Starts the invoked function; undefined if it does not exist. */
  startInvoked(run: Run, stepId: string, functionId: string, data: Record<string, unknown>): Run | undefined;
}

/** Applies one op from the 206 response to `call` to the run's state. */
export function applyOp(ctx: OpContext, run: Run, call: PendingCall, op: OutgoingOp): void {
  if (!run.names.has(op.id)) run.names.set(op.id, op.displayName ?? op.userland?.id ?? op.name ?? op.id);
  // A later discovery reports steps that are still planned/sleeping/waiting again.
  const alreadyTracked = run.memo.has(op.id) || run.known.has(op.id);
  switch (op.op) {
    case "StepRun":
    case "Step":
      run.memoize(op.id, op.op, { data: op.data ?? null });
      return ctx.scheduleDiscovery(run);
    case "StepError":
      // A function-level error in op form (sent with lazy ops): retry the request.
      if (isFunctionLevel(op)) return ctx.retryOrFail(run, call, { error: op.error, retriable: true });
      return onStepError(ctx, run, op);
    case "StepFailed":
      if (isFunctionLevel(op)) return ctx.failRun(run, op.error);
      run.memoize(op.id, op.op, { error: op.error });
      return ctx.scheduleDiscovery(run);
    case "StepPlanned":
      if (alreadyTracked) return;
      run.known.add(op.id);
      return ctx.scheduleCall(run, op.id, run.stepAttempts.get(op.id) ?? 0, ctx.now());
    case "Sleep":
      if (alreadyTracked) return;
      return onSleep(ctx, run, op);
    case "WaitForEvent":
      if (alreadyTracked) return;
      return registerWait(ctx, run, op);
    case "InvokeFunction":
      if (alreadyTracked) return;
      return onInvoke(ctx, run, op);
    case "RunComplete":
      return ctx.completeRun(run, op.data ?? null);
    case "DeferAdd":
    case "DeferAbort":
      ctx.log(`run ${run.id}: ignoring ${op.op} (defer is not supported locally)`);
      return;
    default:
      ctx.failRun(run, { name: "UnsupportedOpError", message: `the local executor does not support the ${op.op} op` });
  }
}

/**
 * The SDK reports a function-level error under sha1("complete") (engine.js:61,
 * 1109-1140), the same id as a user step named `complete` (D8). The server
 * handles both by id (executor.go:3895-3919); what tells them apart is that a
 * user step carries its name (`displayName`, `userland`), the SDK's own op
 * does not.
 */
function isFunctionLevel(op: OutgoingOp): boolean {
  return op.id === RUN_COMPLETE_ID && op.userland === undefined && op.displayName === undefined;
}

/** Retriable step error: call the step again until its attempts run out. */
function onStepError(ctx: OpContext, run: Run, op: OutgoingOp): void {
  const attempt = (run.stepAttempts.get(op.id) ?? 0) + 1;
  if (attempt >= run.maxAttempts) {
    // The SDK normally answers StepFailed itself on the last attempt (we send
    // max_attempts); this covers an SDK that did not.
    run.memoize(op.id, "StepFailed", { error: op.error });
    return ctx.scheduleDiscovery(run);
  }
  run.stepAttempts.set(op.id, attempt);
  run.known.add(op.id);
  const delay = ctx.retryDelayMs(attempt);
  ctx.log(
    `run ${run.id}: step ${run.names.get(op.id)} failed (${describeError(op.error)}), ` +
      `attempt ${attempt + 1}/${run.maxAttempts} in ${delay}ms`,
  );
  ctx.scheduleCall(run, op.id, attempt, ctx.now() + delay);
}

/** `name` holds a duration (step.sleep) or an ISO date (step.sleepUntil). */
function onSleep(ctx: OpContext, run: Run, op: OutgoingOp): void {
  const wakeAt = resolveWakeTime(op.name ?? "", ctx.now());
  if (wakeAt === undefined) return ctx.failRun(run, { name: "Error", message: `invalid sleep "${op.name}"` });
  if (wakeAt - ctx.now() > MAX_WAIT_MS) {
    // opcode.go:313-323 `boundedSleepDuration`; fails the run at once (executor.go:2351).
    return ctx.failRun(run, {
      name: "InngestErrTimeoutTooLong",
      message: `The sleep "${op.name}" ends more than one year in the future; sleeps may last at most one year.`,
    });
  }
  run.known.add(op.id);
  run.sleeps.set(op.id, { name: run.names.get(op.id) ?? op.id, wakeAt });
  ctx.log(`run ${run.id}: sleeping until ${new Date(wakeAt).toISOString()}`);
}

/** step.invoke: run the target function; its result becomes this step's result. */
function onInvoke(ctx: OpContext, run: Run, op: OutgoingOp): void {
  const opts = (op.opts ?? {}) as { function_id?: string; payload?: { data?: Record<string, unknown> }; timeout?: string };
  run.known.add(op.id);
  const child = ctx.startInvoked(run, op.id, opts.function_id ?? "", opts.payload?.data ?? {});
  if (!child) {
    run.memoize(op.id, "InvokeFunction", { error: { name: "Error", message: `function "${opts.function_id}" not found` } });
    return ctx.scheduleDiscovery(run);
  }
  const expiresAt = opts.timeout ? resolveWakeTime(opts.timeout, ctx.now()) : undefined;
  run.invokes.set(op.id, {
    name: run.names.get(op.id) ?? op.id,
    childRunId: child.id,
    expiresAt: expiresAt ?? Number.POSITIVE_INFINITY,
  });
}
