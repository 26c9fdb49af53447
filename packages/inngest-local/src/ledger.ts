import { DAY_MS } from "./duration";

/**
 * The 24-hour memories of the event API: event ids already received and
 * idempotency keys already used. Entries expire lazily.
 */
export class EventLedger {
  /** Event id -> when it was received. */
  private readonly seenIds = new Map<string, number>();
  /** `<fn id>\n<key>` -> when the key expires. */
  private readonly keys = new Map<string, number>();
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

  /** Claims a function's idempotency key; false if it was used within 24h. */
  claimKey(functionId: string, key: string, now: number): boolean {
    this.prune(now);
    const mapKey = `${functionId}\n${key}`;
    if (this.keys.has(mapKey)) return false;
    this.keys.set(mapKey, now + DAY_MS);
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
    for (const [key, expiresAt] of this.keys) {
      if (expiresAt <= now) this.keys.delete(key);
      else next = Math.min(next, expiresAt);
    }
    this.nextExpiry = next;
  }
}
