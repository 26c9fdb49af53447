import { createHash, randomBytes } from "node:crypto";

/** Crockford base32, as ULIDs use. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A ULID (what Inngest uses for event and run ids): 10 chars of time, 16 of
 * randomness. `entropy` lets the event API derive stable ids from the SDK's
 * `x-inngest-event-id-seed`, so a retried `inngest.send()` dedupes.
 */
export function ulid(timeMs: number, entropy: Uint8Array = randomBytes(10)): string {
  let time = "";
  let t = Math.max(0, Math.floor(timeMs));
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let rand = "";
  // 16 chars x 5 bits = 80 bits = the 10 entropy bytes.
  let bits = 0;
  let value = 0;
  for (const byte of entropy.subarray(0, 10)) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      rand += ALPHABET[(value >> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return time + rand.padEnd(16, "0");
}

/**
 * Event ids from the SDK's seed header (`<millis>,<base64 entropy>`): the
 * same seed and index always give the same id.
 */
export function idFromSeed(seed: string, index: number): string | undefined {
  const [millis, entropy] = seed.split(",");
  const time = Number(millis);
  if (!Number.isFinite(time) || !entropy) return undefined;
  const digest = createHash("sha256").update(`${entropy}:${index}`).digest();
  return ulid(time, digest.subarray(0, 10));
}

/** Hashed step id as the SDK computes it: SHA-1 hex of the step name. */
export function hashStepId(name: string, index = 0): string {
  const id = index > 0 ? `${name}:${index}` : name;
  return createHash("sha1").update(id).digest("hex");
}

/**
 * `ctx.fn_id`: the server's UUID for a function (driver/request.go:78). Derived
 * from the function's id (UUID v5 layout over SHA-1), so it is stable per app.
 */
export function functionUuid(functionId: string): string {
  const hex = createHash("sha1").update(`stepwise-local-executor:${functionId}`).digest("hex");
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * ULIDs that sort in the order they were made, also within one millisecond
 * and if the clock steps back (the e2e clock control resets to real time):
 * run ids and the ids events get on receipt are compared to decide whether
 * a cancel event came after its run was scheduled (matching.ts, D1).
 */
export class MonotonicUlid {
  private lastTime = -1;
  private last = new Uint8Array(10);

  next(timeMs: number): string {
    const time = Math.max(Math.floor(timeMs), this.lastTime);
    if (time === this.lastTime) {
      const entropy = new Uint8Array(this.last);
      for (let i = entropy.length - 1; i >= 0; i--) {
        entropy[i] = (entropy[i] + 1) & 0xff;
        if (entropy[i] !== 0) break;
      }
      this.last = entropy;
    } else {
      this.lastTime = time;
      // Leave headroom so increments within the millisecond do not overflow.
      this.last = new Uint8Array(randomBytes(10));
      this.last[0] &= 0x7f;
    }
    return ulid(time, this.last);
  }
}
