/**
 * Refuses a signed Inngest request seen before. The SDK checks that a
 * request's `x-inngest-signature` (HMAC over body + timestamp) is valid and
 * at most 5 minutes old, but would run the same request again if it were
 * replayed inside that window. Every request Inngest makes carries a fresh
 * request id in its body (pkg/execution/driver/request.go `RequestID`), so a
 * signature seen twice is a replay.
 */

/** The SDK's window: a signature more than 5 minutes off is expired anyway. */
const WINDOW_MS = 5 * 60_000;

export interface ReplayGuard {
  /** Before handling: false if this signature is in flight or was accepted. */
  claim(signature: string, now?: number): boolean;
  /** After handling: a refused signature (401) is forgotten, so nobody can fill the memory with junk. */
  settle(signature: string, accepted: boolean): void;
  readonly size: number;
}

export function createReplayGuard(): ReplayGuard {
  const seen = new Map<string, number>();
  let nextPrune = 0;
  const prune = (now: number) => {
    if (now < nextPrune) return;
    nextPrune = now + 10_000;
    for (const [signature, forgetAt] of seen) if (forgetAt <= now) seen.delete(signature);
  };
  return {
    claim(signature, now = Date.now()) {
      prune(now);
      if (seen.has(signature)) return false;
      const seconds = Number(new URLSearchParams(signature).get("t"));
      // Remembered until the SDK would refuse it as expired anyway.
      seen.set(signature, (Number.isFinite(seconds) ? seconds * 1000 : now) + WINDOW_MS);
      return true;
    },
    settle(signature, accepted) {
      if (!accepted) seen.delete(signature);
    },
    get size() {
      return seen.size;
    },
  };
}

type Handler<R extends Request, A extends unknown[]> = (request: R, ...rest: A) => Promise<Response>;

/** Wraps a serve() handler: a replayed signature gets 401 and reaches nothing. */
export function refuseReplays<R extends Request, A extends unknown[]>(guard: ReplayGuard, handler: Handler<R, A>): Handler<R, A> {
  return async (request, ...rest) => {
    const signature = request.headers.get("x-inngest-signature");
    if (!signature) return handler(request, ...rest);
    if (!guard.claim(signature)) {
      return Response.json({ type: "error", message: "this signed request was already received" }, { status: 401 });
    }
    let accepted = false;
    try {
      const response = await handler(request, ...rest);
      accepted = response.status !== 401;
      return response;
    } finally {
      guard.settle(signature, accepted);
    }
  };
}
