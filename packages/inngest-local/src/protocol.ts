import { randomUUID } from "node:crypto";
import { parseDuration } from "./duration";
import { hashStepId } from "./ids";
import { DISCOVERY, type PendingCall, type Run } from "./run";
import type { FunctionConfig, OutgoingOp } from "./types";

/**
 * The wire format of one call to the app's serve endpoint
 * (`POST ?fnId=<fn>&stepId=<"step" | hashed id>`) and of its answer.
 */

/** Why a request to the app did not produce ops or a result. */
export interface CallFailure {
  error: unknown;
  retriable: boolean;
  retryAfterMs?: number;
}

export type CallOutcome =
  | { kind: "complete"; output: unknown }
  | { kind: "ops"; ops: OutgoingOp[] }
  | ({ kind: "error" } & CallFailure);

/** Events Inngest emits itself; the SDK builds onFailure triggers on them. */
export const INTERNAL_EVENTS = {
  failed: "inngest/function.failed",
  finished: "inngest/function.finished",
  cancelled: "inngest/function.cancelled",
  invoked: "inngest/function.invoked",
  cron: "inngest/scheduled.timer",
} as const;

/**
 * The SDK reports a function-level error in op form under this id when it
 * also has lazy ops to ship (attachLazyOps in the SDK engine).
 */
export const RUN_COMPLETE_ID = hashStepId("complete");

/**
 * `checkpoint` present: send `fn_id` and `qi_id` as the real server does
 * (pkg/execution/driver/request.go:78, :103), so that the SDK checkpoints
 * (checkpoint.ts); absent: the SDK's classic one-step-per-request mode.
 */
export function buildCallBody(run: Run, call: PendingCall, checkpoint?: { fnId: string; queueItemId: string }): string {
  const ctx = JSON.stringify({
    ...(checkpoint ? { fn_id: checkpoint.fnId, qi_id: checkpoint.queueItemId } : {}),
    run_id: run.id,
    // Unique per request, as the real server's (driver/request.go:105-106): no
    // two requests are the same bytes, so the app can refuse a replayed one.
    request_id: randomUUID(),
    attempt: call.attempt,
    // Lets the SDK itself answer StepFailed (not StepError) on the last attempt.
    max_attempts: run.maxAttempts,
    disable_immediate_execution: run.disableImmediateExecution,
    use_api: false,
    stack: { stack: run.stack, current: run.stack.length },
  });
  // JSON.stringify({ version, event, events, steps, ctx }), from the parts
  // the run keeps serialized: the event and the memoized steps only grow.
  const event = run.eventJson();
  return `{"version":2,"event":${event},"events":[${event}],"steps":${run.stepsJson()},"ctx":${ctx}}`;
}

export function describeCall(run: Run, call: PendingCall): string {
  return call.stepId === DISCOVERY ? "discovery" : (run.names.get(call.stepId) ?? call.stepId);
}

/** The app's answer to an in-band sync (PUT): its id and function configs. */
export async function readSyncResponse(res: Response): Promise<{ appId?: string; functions: FunctionConfig[] }> {
  const text = await res.text();
  if (res.status !== 200 || res.headers.get("x-inngest-sync-kind") !== "in_band") {
    throw new Error(
      `sync failed: HTTP ${res.status} (sync kind ${res.headers.get("x-inngest-sync-kind")}); ` +
        `is INNGEST_ALLOW_IN_BAND_SYNC disabled? ${text.slice(0, 300)}`,
    );
  }
  const parsed = JSON.parse(text) as { app_id?: string; functions?: FunctionConfig[] };
  return { appId: parsed.app_id, functions: parsed.functions ?? [] };
}

/** 200 = finished (body is the output), 206 = ops, anything else = failure. */
export async function readCallResponse(res: Response, now: number): Promise<CallOutcome> {
  const text = await res.text();
  if (res.status === 200) return { kind: "complete", output: parseJson(text) };
  if (res.status === 206) {
    const parsed = parseJson(text);
    return { kind: "ops", ops: (Array.isArray(parsed) ? parsed : [parsed]) as OutgoingOp[] };
  }
  return {
    kind: "error",
    error: parseJson(text),
    // 500 + "false" = retry the request; 400 + "true" = permanent.
    retriable: res.headers.get("x-inngest-no-retry") !== "true",
    retryAfterMs: parseRetryAfter(res.headers.get("retry-after"), now),
  };
}

function parseJson(text: string): unknown {
  if (text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const duration = parseDuration(header);
  if (duration !== undefined) return duration;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function serializeThrown(error: unknown): unknown {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: "Error", message: String(error) };
}

export function describeError(error: unknown): string {
  if (error && typeof error === "object") {
    const { name, message } = error as { name?: unknown; message?: unknown };
    if (typeof message === "string") return typeof name === "string" ? `${name}: ${message}` : message;
  }
  return typeof error === "string" ? error : JSON.stringify(error);
}
