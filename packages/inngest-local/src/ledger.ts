import { DAY_MS } from "./duration";

/**
 * The event API's 24-hour memory of event ids already received (a duplicate
 * id starts no run; routing.ts). Idempotency keys are a rate limit
 * (flow-control.ts). Entries expire lazily.
 */
export class EventLedger {
  /** Event id -> when it was received. */
  private readonly seenIds = new Map<string, number>();
  /** No entry expires before this: until then there is nothing to prune. */
  private nextExpiry = Number.POSITIVE_INFINITY;

  /** Records an event id; false if it was already seen within 24h. */
  markSeen(id: string, now: number): boolean {
    this.prune(now);
    if (this.seenIds.has(id)) return false;
    this.seenIds.set(id, now);
    this.nextExpiry = Math.min(this.nextExpiry, now + DAY_MS);
    return true;
  }

  private prune(now: number): void {
    if (now < this.nextExpiry) return;
    let next = Number.POSITIVE_INFINITY;
    for (const [id, at] of this.seenIds) {
      if (at + DAY_MS <= now) this.seenIds.delete(id);
      else next = Math.min(next, at + DAY_MS);
    }
    this.nextExpiry = next;
  }
}
