/**
 * What the local executor refuses at sync: what the real server refuses
 * (pkg/inngest/function.go `Validate`) and what it does not implement, so
 * that no config works here and fails in production, or is silently ignored.
 */
import { describe, expect, it } from "vitest";
import { checkFunctionConfig } from "../src/validate";
import type { FunctionConfig } from "../src";

function config(extra: Record<string, unknown>): FunctionConfig {
  return { id: "app-fn", triggers: [{ event: "a/b" }], steps: {}, ...extra };
}

describe("sync-time validation", () => {
  it("accepts the app's own configs (five cancels, one keyed concurrency limit)", () => {
    const cancel = Array.from({ length: 5 }, (_, i) => ({ event: `x/${i}`, if: "event.data.id == async.data.id" }));
    const check = checkFunctionConfig(config({ cancel, concurrency: { limit: 1 }, idempotency: "event.data.runKey" }));
    expect(check.errors).toEqual([]);
    expect(check.concurrency).toEqual([{ limit: 1, key: undefined, scope: "fn" }]);
  });

  it.each([
    ["more than 5 cancellations", { cancel: Array.from({ length: 6 }, () => ({ event: "x/y" })) }, /max number of cancellation/],
    ["3 concurrency limits", { concurrency: [{ limit: 1 }, { limit: 2 }, { limit: 3 }] }, /maximum of 2/],
    ["an env-scoped limit without key", { concurrency: { limit: 1, scope: "env" } }, /key must be specified for env/],
    ["a concurrency key that does not compile", { concurrency: { limit: 1, key: "event.data.(" } }, /invalid concurrency key/],
    ["a cancel `if` that does not compile", { cancel: [{ event: "x/y", if: "event.data ==" }] }, /cancellation expression is invalid/],
    ["a rateLimit period over 24 h", { rateLimit: { limit: 1, period: "25h" } }, /less than 24h/],
    ["a rateLimit without a limit", { rateLimit: { limit: 0, period: "1h" } }, /limit must be greater than 0/],
    ["a rateLimit key that does not compile", { rateLimit: { limit: 1, period: "1h", key: "event.data.(" } }, /rateLimit: key is invalid/],
    ["a throttle period that does not parse", { throttle: { limit: 1, period: "soon" } }, /throttle: failed to parse/],
    ["debounce (not implemented here)", { debounce: { period: "5s" } }, /debounce/],
    ["priority (not implemented here)", { priority: { run: "0" } }, /priority/],
    ["batchEvents (not implemented here)", { batchEvents: { maxSize: 10, timeout: "5s" } }, /batchEvents/],
  ])("refuses %s", (_name, extra, message) => {
    const { errors } = checkFunctionConfig(config(extra));
    expect(errors.join("\n")).toMatch(message);
  });

  it("accepts what it implements: throttle (limit, period, burst, key) and rateLimit (limit, period ≤ 24 h, key)", () => {
    const check = checkFunctionConfig(
      config({
        throttle: { limit: 2, period: "1m", burst: 1, key: "event.data.account" },
        rateLimit: { limit: 10, period: "24h", key: "event.data.contact" },
        concurrency: [{ limit: 1, key: "event.data.k" }, { limit: 5, key: "event.data.team", scope: "env" }],
      }),
    );
    expect(check.errors).toEqual([]);
    expect(check.warnings).toEqual([]);
  });

  it("warns, as the real server accepts it, about a throttle key that does not compile (all runs share one bucket)", () => {
    const check = checkFunctionConfig(config({ throttle: { limit: 1, period: "1m", key: "event.data.(" } }));
    expect(check.errors).toEqual([]);
    expect(check.warnings.join("\n")).toMatch(/shares one bucket/);
  });

  it("ignores rateLimit next to idempotency, as the real server does, with a warning", () => {
    const check = checkFunctionConfig(config({ idempotency: "event.data.k", rateLimit: { limit: 5, period: "1h" } }));
    expect(check.errors).toEqual([]);
    expect(check.warnings.join("\n")).toMatch(/idempotency replaces it/);
  });

  it("normalizes every form of concurrency the SDK sends", () => {
    expect(checkFunctionConfig(config({ concurrency: 3 })).concurrency).toEqual([{ limit: 3, key: undefined, scope: "fn" }]);
    expect(
      checkFunctionConfig(config({ concurrency: [{ limit: 2, key: "event.data.k" }, { limit: 10, key: "event.data.t", scope: "account" }] })).concurrency,
    ).toEqual([
      { limit: 2, key: "event.data.k", scope: "fn" },
      { limit: 10, key: "event.data.t", scope: "account" },
    ]);
  });
});
