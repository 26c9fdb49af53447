/**
 * Shapes shared by the local executor. They mirror what the Inngest SDK
 * (inngest@4.x) sends and expects over its public HTTP protocol.
 */

/** An event as accepted by `send()` / the event API. */
export interface EventPayload {
  id?: string;
  name: string;
  data?: Record<string, unknown>;
  user?: Record<string, unknown>;
  /** Milliseconds since the epoch. Defaults to the executor clock's now. */
  ts?: number;
  v?: string;
  [key: string]: unknown;
}

/** An event after the executor assigned its id and timestamp. */
export interface StoredEvent extends EventPayload {
  id: string;
  data: Record<string, unknown>;
  ts: number;
}

export type EventTrigger = { event: string; expression?: string };
export type CronTrigger = { cron: string; jitter?: string };
export type Trigger = EventTrigger | CronTrigger;

export interface CancelRule {
  event: string;
  /** CEL with `event` = the run's trigger and `async` = the incoming event. */
  if?: string;
  /** Duration string; the rule only applies this long after the run started. */
  timeout?: string;
}

/** One function as returned by the in-band sync (PUT) of `serve()`. */
export interface FunctionConfig {
  id: string;
  name?: string;
  triggers: Trigger[];
  steps: Record<
    string,
    {
      id: string;
      name: string;
      runtime: { type: string; url: string };
      retries?: { attempts?: number };
    }
  >;
  idempotency?: string;
  cancel?: CancelRule[];
  [key: string]: unknown;
}

/** An op in a 206 response from the SDK. */
export interface OutgoingOp {
  op: string;
  /** Hashed step id (SHA-1 hex of the step name, `name:n` when repeated). */
  id: string;
  name?: string;
  displayName?: string;
  opts?: Record<string, unknown>;
  data?: unknown;
  error?: unknown;
  userland?: { id: string; index?: number };
}

/** The memoized result of one step, as sent back in the `steps` map. */
export type StepResult = { data: unknown } | { error: unknown };

export type RunStatus = "running" | "sleeping" | "waiting" | "completed" | "failed" | "cancelled";

export interface StepRecord {
  /** Hashed step id. */
  id: string;
  /** The step's name as written in the function (`step.run("name", ...)`). */
  name: string;
  /** The op that produced the memoized value (StepRun, Sleep, WaitForEvent...). */
  op: string;
  data?: unknown;
  error?: unknown;
}

export interface RunInfo {
  id: string;
  /** Full function id as synced: `<appId>-<function id>`. */
  functionId: string;
  event: StoredEvent;
  status: RunStatus;
  output?: unknown;
  error?: unknown;
  startedAt: number;
  endedAt?: number;
  /** Memoized steps in the order they completed. */
  steps: StepRecord[];
}

/**
 * The route handlers exported by `serve()` from "inngest/next". Method
 * syntax on purpose: its parameters are checked bivariantly, so handlers
 * typed for `NextRequest` (a `Request` subclass) are accepted.
 */
export interface ServeHandlers {
  GET?(req: Request, ctx?: unknown): Promise<Response> | Response;
  POST(req: Request, ctx?: unknown): Promise<Response> | Response;
  PUT(req: Request, ctx?: unknown): Promise<Response> | Response;
}
