/** What a LocalExecutor is made with (executor.ts). */
import type { Clock } from "./clock";
import type { ServeHandlers } from "./types";

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
