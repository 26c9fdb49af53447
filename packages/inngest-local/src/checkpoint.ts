import { json } from "./event-api";
import { sameSecret } from "./keys";
import { logSafe } from "./request-guard";
import type { PendingCall, Run } from "./run";
import type { OutgoingOp } from "./types";

/**
 * The SDK's async checkpoints (`POST /v1/checkpoint/<run id>/async`).
 *
 * The real server always sends `ctx.fn_id` (pkg/execution/driver/request.go:78),
 * and with it inngest v4 runs in AsyncCheckpointing mode: during one request it
 * runs consecutive `step.run`s inline and POSTs each result here before going
 * on (SDK components/execution/engine.js:316-332), answering the request itself
 * only with what needs the server (a sleep, a wait, the run's end).
 * What the server does with a checkpoint (pkg/execution/checkpoint/checkpoint.go
 * `checkpointAsyncSteps`, :502-675):
 * - a run it cannot load is an error (:503-507);
 * - only StepRun/Step/StepPlanned (and defers) may be checkpointed; any other
 *   opcode fails the whole checkpoint (:517-523, :639-642);
 * - StepRun/Step outputs are saved as the step's memoized result, a duplicate
 *   is ignored (:542-560);
 * - the queue item's attempts are reset (:657-673), so the request that
 *   checkpointed gets its full retries again.
 */

/** What the `/v1/` API needs from the executor. */
export interface ApiContext extends CheckpointContext {
  /** What the SDK sends as `Authorization: Bearer` (its hashed signing key). */
  hashedSigningKey: string;
  /** Counts an accepted checkpoint (executor stats). */
  checkpointed(): void;
}

/**
 * The Inngest API under `/v1/`, authenticated as the SDK does it
 * (`Authorization: Bearer <hashed signing key>`, SDK helpers/net.js). Only
 * async checkpoints are implemented; anything else is refused loudly, so
 * that an SDK feature the executor lacks shows instead of degrading.
 */
export async function handleApiRequest(ctx: ApiContext, req: Request, url: URL): Promise<Response> {
  const bearer = /^Bearer (.+)$/.exec(req.headers.get("authorization") ?? "")?.[1] ?? "";
  if (!sameSecret(bearer, ctx.hashedSigningKey)) return json(401, { error: "Unauthorized", status: 401 });
  const checkpoint = /^\/v1\/checkpoint\/([^/]+)\/async\/?$/.exec(url.pathname);
  if (req.method !== "POST" || !checkpoint) {
    ctx.log(`NOT IMPLEMENTED: the app called the Inngest API ${logSafe(`${req.method} ${url.pathname}`)}`);
    return json(501, { error: `the local executor does not implement ${req.method} ${url.pathname}`, status: 501 });
  }
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    return json(400, { error: "invalid request body", status: 400 });
  }
  const answer = applyAsyncCheckpoint(ctx, decodeURIComponent(checkpoint[1]), body);
  if (answer.status === 200) ctx.checkpointed();
  return json(answer.status, answer.body);
}

/** What checkpointing needs from the executor. */
export interface CheckpointContext {
  log(msg: string): void;
  findRun(runId: string): Run | undefined;
  /** The in-flight request a `qi_id` names, if it is still in flight. */
  findCall(queueItemId: string): { run: Run; call: PendingCall } | undefined;
}

export interface CheckpointAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** Opcodes the server accepts in an async checkpoint. */
const CHECKPOINTABLE = new Set(["StepRun", "Step", "StepPlanned"]);

export function applyAsyncCheckpoint(ctx: CheckpointContext, runId: string, input: unknown): CheckpointAnswer {
  const body = (input ?? {}) as { run_id?: unknown; qi_id?: unknown; steps?: unknown };
  if (!Array.isArray(body.steps)) return error(400, "invalid request body: steps must be an array", runId);
  const run = ctx.findRun(runId);
  // The server loads the run's state first; a run that finished has none (its
  // state is deleted when it ends) *(inferred: finalize deletes state)*.
  if (!run || !run.isActive) return error(400, "run not found", runId);
  const steps = body.steps as OutgoingOp[];
  const refused = steps.find((op) => !CHECKPOINTABLE.has(op?.op));
  if (refused) {
    ctx.log(`run ${run.id}: refused checkpoint of opcode ${logSafe(refused?.op)}`);
    return error(400, `cannot checkpoint opcode: ${String(refused?.op)}`, runId);
  }
  for (const op of steps) {
    if (!run.names.has(op.id)) run.names.set(op.id, op.displayName ?? op.userland?.id ?? op.name ?? op.id);
    if (op.op === "StepPlanned") continue; // the server only opens a trace span for it
    run.memoize(op.id, op.op, { data: op.data ?? null });
  }
  const inFlight = typeof body.qi_id === "string" ? ctx.findCall(body.qi_id) : undefined;
  if (inFlight && inFlight.run === run) inFlight.call.attempt = 0;
  return { status: 200, body: {} };
}

function error(status: number, message: string, runId: string): CheckpointAnswer {
  return { status, body: { error: message, data: { run_id: runId }, status } };
}
