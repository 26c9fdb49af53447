import { celKeyString } from "./cel";
import type { Run } from "./run";
import type { StoredEvent } from "./types";
import type { ConcurrencyLimit } from "./validate";

/**
 * Function `concurrency` as the real server enforces it: step-level limits
 * (pkg/inngest/concurrency.go:23-160) that count requests in progress,
 * checked when a queue item is leased, so excess work waits and nothing is
 * dropped (pkg/execution/queue/lease_item.go:150-190). A sleeping or waiting
 * run holds no slot.
 */

export interface ConcurrencyBucket {
  bucket: string;
  limit: number;
}

/**
 * Keys are evaluated once, when the run is scheduled, from its trigger event
 * (executor.go:1345-1348; queue/item.go:684-730), formatted with "%v"
 * (concurrency.go:249-262 `Evaluate`): a missing key evaluates to false (D7),
 * so every run without it shares the bucket "false"; one that fails to
 * evaluate shares "<nil>".
 */
export function concurrencyBuckets(functionId: string, limits: ConcurrencyLimit[], event: StoredEvent): ConcurrencyBucket[] {
  return limits.map(({ limit, key, scope }) => {
    const evaluated = key ? celKeyString(key, { event }) : "";
    // util.ConcurrencyKey(scope, scopeID, evaluated): the fn scope is per function.
    const owner = scope === "fn" ? `fn:${functionId}` : scope;
    return { bucket: `${owner}:${evaluated}`, limit };
  });
}

/** Requests in flight per bucket. */
export class ConcurrencyCounter {
  private readonly inFlight = new Map<string, number>();

  hasSlot(run: Run): boolean {
    return run.concurrency.every(({ bucket, limit }) => (this.inFlight.get(bucket) ?? 0) < limit);
  }

  acquire(run: Run): void {
    for (const { bucket } of run.concurrency) this.inFlight.set(bucket, (this.inFlight.get(bucket) ?? 0) + 1);
  }

  release(run: Run): void {
    for (const { bucket } of run.concurrency) {
      const left = (this.inFlight.get(bucket) ?? 1) - 1;
      if (left > 0) this.inFlight.set(bucket, left);
      else this.inFlight.delete(bucket);
    }
  }
}
