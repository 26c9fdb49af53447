/**
 * GCRA as the real server's Lua scripts compute it (ratelimit/lua/ratelimit.lua,
 * constraintapi/lua/helper/gcra.lua): `burst + 1` pass at once, then one per
 * period / limit. Not a fixed window.
 */
import { describe, expect, it } from "vitest";
import { Gcra, checkRateLimit, throttleBucket } from "../src/flow-control";
import type { FunctionConfig, StoredEvent } from "../src";

const T0 = Date.UTC(2026, 0, 5, 9);
const MINUTE = 60_000;
const fn = (extra: Record<string, unknown>): FunctionConfig => ({ id: "app-fn", triggers: [{ event: "a/b" }], steps: {}, ...extra });
const evt = (data: Record<string, unknown>): StoredEvent => ({ id: Math.random().toString(36), name: "a/b", data, ts: T0 });

describe("GCRA", () => {
  it("admits burst + 1 at once, then one per emission interval", () => {
    const gcra = new Gcra();
    const rate = { periodMs: 10 * MINUTE, limit: 10, burst: 1 };
    expect([1, 2, 3].map(() => gcra.take("k", T0, rate))).toEqual([true, true, false]);
    expect(gcra.admitAt("k", T0, rate)).toBe(T0 + MINUTE);
    expect(gcra.take("k", T0 + MINUTE - 1, rate)).toBe(false);
    expect(gcra.take("k", T0 + MINUTE, rate)).toBe(true);
    expect(gcra.take("other", T0, rate)).toBe(true);
  });
});

describe("rateLimit", () => {
  it("uses burst = limit / 10: 3 per hour is one per 20 minutes, not 3 in the first minute", () => {
    const gcra = new Gcra();
    const limited = fn({ rateLimit: { limit: 3, period: "1h" } });
    const starts = (at: number) => checkRateLimit(gcra, limited, evt({}), at).start;
    expect([starts(T0), starts(T0 + 1000), starts(T0 + 2000)]).toEqual([true, false, false]);
    expect(starts(T0 + 20 * MINUTE)).toBe(true);
  });

  it("keys by the event; a key that is false or missing is not limited", () => {
    const gcra = new Gcra();
    const keyed = fn({ rateLimit: { limit: 1, period: "1h", key: "event.data.k" } });
    const starts = (data: Record<string, unknown>) => checkRateLimit(gcra, keyed, evt(data), T0).start;
    expect([starts({ k: "a" }), starts({ k: "a" }), starts({ k: "b" })]).toEqual([true, false, true]);
    expect([starts({}), starts({}), starts({ k: false }), starts({ k: false })]).toEqual([true, true, true, true]);
  });

  it("is replaced by idempotency: one start per key per 24 h, whatever rateLimit says", () => {
    const gcra = new Gcra();
    const both = fn({ idempotency: "event.data.k", rateLimit: { limit: 100, period: "1m" } });
    const starts = (at: number) => checkRateLimit(gcra, both, evt({ k: "x" }), at).start;
    expect([starts(T0), starts(T0 + MINUTE)]).toEqual([true, false]);
    expect(starts(T0 + 24 * 60 * MINUTE)).toBe(true);
  });
});

describe("throttle buckets", () => {
  it("take the key from the trigger event; events without it share one bucket; limit 0 is 1; period in whole seconds", () => {
    const throttled = fn({ throttle: { limit: 0, period: "1500ms", burst: 2, key: "event.data.account" } });
    const a = throttleBucket(throttled, evt({ account: "a" }));
    expect(a?.rate).toEqual({ periodMs: 1000, limit: 1, burst: 2 });
    expect(throttleBucket(throttled, evt({ account: "b" }))?.key).not.toBe(a?.key);
    expect(throttleBucket(throttled, evt({}))?.key).toBe(throttleBucket(throttled, evt({ other: 1 }))?.key);
  });
});
