import { Inngest } from "inngest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalExecutor, ManualClock, hashStepId, nextCronTime, worstCaseBackoffMs, type RunInfo } from "@stepwise/inngest-local";
import { Gate } from "./fixtures/gate";
import { attempts, cronTicks, effects, gates, handlers, resetFixtureState, routeEventsTo, useExecutor } from "./fixtures/app";
import { serveOverHttp } from "./fixtures/http-server";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const START = Date.UTC(2025, 0, 6, 12, 3, 0); // a Monday, 12:03 UTC

let clock: ManualClock;
let executor: LocalExecutor;
const logs: string[] = [];

beforeEach(async () => {
  resetFixtureState();
  logs.length = 0;
  clock = new ManualClock(START);
  executor = new LocalExecutor({ handlers, clock, log: (msg) => logs.push(msg) });
  useExecutor(executor);
  await executor.sync();
});

afterEach(async () => {
  routeEventsTo(undefined);
  await executor.stop();
});

function onlyRun(functionId: string): RunInfo {
  const runs = executor.runs({ functionId });
  expect(runs).toHaveLength(1);
  return runs[0];
}

describe("sync", () => {
  it("returns the app's function configs with cancel and idempotency rules", async () => {
    const fns = await executor.sync();
    const ids = fns.map((fn) => fn.id);
    expect(ids).toContain("executor-test-multi-step");
    // onFailure registers a second function triggered by inngest/function.failed
    expect(ids).toContain("executor-test-always-fails-failure");
    const cancellable = fns.find((fn) => fn.id === "executor-test-cancellable");
    expect(cancellable?.cancel).toEqual([{ event: "test/cancel", if: "event.data.userId == async.data.userId" }]);
    expect(fns.find((fn) => fn.id === "executor-test-idempotent")?.idempotency).toBe("event.data.contactId");
  });
});

describe("steps and sleeps", () => {
  it("runs a multi-step function in order, resuming each sleep at the right time", async () => {
    await executor.send({ name: "test/multi.start", data: { who: "ann" } });
    await executor.runUntilIdle();
    expect(effects).toEqual(["first:ann"]);
    expect(onlyRun("multi-step").status).toBe("sleeping");

    await executor.advance(59 * MINUTE);
    expect(effects).toEqual(["first:ann"]); // the 1h sleep has not ended

    await executor.advance(1 * MINUTE);
    expect(effects).toEqual(["first:ann", "second:ann"]);

    await executor.advance(DAY - 1000);
    expect(effects).toEqual(["first:ann", "second:ann"]);
    expect(onlyRun("multi-step").status).toBe("sleeping");

    await executor.advance(1000);
    const run = onlyRun("multi-step");
    expect(run.status).toBe("completed");
    expect(run.output).toEqual({ result: "a-ann-b-c" });
    expect(run.endedAt).toBe(START + HOUR + DAY);
    // each body ran exactly once although the function was called many times
    expect(effects).toEqual(["first:ann", "second:ann", "third:ann"]);
    expect(run.steps.map((s) => [s.name, s.op])).toEqual([
      ["first", "StepRun"],
      ["wait-an-hour", "Sleep"],
      ["second", "StepRun"],
      ["wait-a-day", "Sleep"],
      ["third", "StepRun"],
    ]);
    expect(run.steps[0].id).toBe(hashStepId("first"));
  });

  it("resumes sleeps of several runs in time order within one advance()", async () => {
    await executor.send({ name: "test/multi.start", data: { who: "early" } });
    await executor.runUntilIdle();
    clock.advance(30 * MINUTE);
    await executor.send({ name: "test/multi.start", data: { who: "late" } });
    await executor.advance(2 * DAY);
    expect(effects).toEqual(["first:early", "first:late", "second:early", "second:late", "third:early", "third:late"]);
    expect(executor.runs({ functionId: "multi-step" }).map((run) => run.status)).toEqual(["completed", "completed"]);
  });

  it("sleeps until an absolute date (step.sleepUntil)", async () => {
    const at = START + 3 * HOUR + 7 * MINUTE;
    await executor.send({ name: "test/sleep-until", data: { at: new Date(at).toISOString() } });
    await executor.advance(3 * HOUR);
    expect(effects).toEqual([]);
    await executor.advance(DAY);
    expect(effects).toEqual(["after-sleep-until"]);
    expect(onlyRun("sleep-until").endedAt).toBe(at);
  });

  it("runs parallel steps once each, then continues", async () => {
    await executor.send({ name: "test/parallel" });
    await executor.runUntilIdle();
    const run = onlyRun("parallel");
    expect(run.status).toBe("completed");
    expect(run.output).toBe("LR");
    expect([...effects].sort()).toEqual(["join", "left", "right"]);
    expect(effects[2]).toBe("join");
  });
});

describe("retries", () => {
  it("retries a failing step after the real backoff and memoizes its eventual success", async () => {
    await executor.send({ name: "test/flaky" });
    await executor.runUntilIdle();
    // The first retry waits 15 s plus up to 30 s of jitter, as on the real server.
    expect(effects).toEqual(["flaky:1"]);
    await executor.advance(15_000 - 1);
    expect(effects).toEqual(["flaky:1"]);
    await executor.advance(worstCaseBackoffMs(2));
    const run = onlyRun("flaky");
    expect(run.status).toBe("completed");
    expect(run.output).toEqual({ succeededOnAttempt: 3 });
    expect(effects).toEqual(["flaky:1", "flaky:2", "flaky:3"]);
  });

  it("fails the run after the configured attempts and their backoff, and fires onFailure", async () => {
    await executor.send({ name: "test/doomed" });
    await executor.runUntilIdle();
    expect(onlyRun("always-fails").status).not.toBe("failed");
    await executor.advance(worstCaseBackoffMs(2));
    const run = onlyRun("always-fails");
    expect(run.status).toBe("failed");
    // retries: 2 => 3 attempts in all, then the error is memoized and thrown
    expect(attempts.get("doomed")).toBe(3);
    expect(effects).not.toContain("after-doomed");
    expect(JSON.stringify(run.error)).toContain("permanently broken");
    expect(run.steps).toHaveLength(1);
    expect(run.steps[0].op).toBe("StepFailed");
    expect(effects).toContain("onFailure:permanently broken");
    expect(onlyRun("always-fails-failure").status).toBe("completed");
  });

  it("retries the whole request after a function-level error (HTTP 500)", async () => {
    await executor.send({ name: "test/fn-flaky" });
    await executor.runUntilIdle();
    expect(attempts.get("fn-flaky")).toBe(1);
    await executor.advance(worstCaseBackoffMs(1));
    expect(onlyRun("function-level-flaky")).toMatchObject({ status: "completed", output: { attempt: 2 } });
    expect(attempts.get("fn-flaky")).toBe(2);
  });

  it("does not retry a NonRetriableError", async () => {
    await executor.send({ name: "test/non-retriable" });
    await executor.runUntilIdle();
    expect(onlyRun("non-retriable").status).toBe("failed");
    expect(attempts.get("non-retriable")).toBe(1);
  });
});

describe("cancelOn", () => {
  it("cancels only the run whose `if` matches", async () => {
    await executor.send([
      { name: "test/cancellable", data: { userId: "u1" } },
      { name: "test/cancellable", data: { userId: "u2" } },
    ]);
    await executor.runUntilIdle();
    expect(executor.runs({ functionId: "cancellable" }).map((r) => r.status)).toEqual(["sleeping", "sleeping"]);

    clock.advance(MINUTE);
    await executor.send({ name: "test/cancel", data: { userId: "u1" } });
    await executor.advance(10 * MINUTE);

    const byUser = Object.fromEntries(executor.runs({ functionId: "cancellable" }).map((r) => [r.event.data.userId, r]));
    expect(byUser.u1.status).toBe("cancelled");
    expect(byUser.u2.status).toBe("completed");
    expect(effects).toContain("cancellable-second:u2");
    expect(effects).not.toContain("cancellable-second:u1");
  });

  it("lets an in-flight step finish, then stops the run", async () => {
    const gate = new Gate();
    gates.set("g1", gate);
    await executor.send({ name: "test/cancellable", data: { userId: "u1", gate: "g1" } });
    const idle = executor.runUntilIdle();
    await gate.entered; // the first step is running inside the app now
    await executor.send({ name: "test/cancel", data: { userId: "u1" } });
    expect(effects).toEqual([]);
    gate.open();
    await idle;
    await executor.advance(HOUR);

    const run = onlyRun("cancellable");
    expect(run.status).toBe("cancelled");
    expect(effects).toEqual(["cancellable-first:u1"]); // finished, and nothing after it
  });

  it("cuts off at the run's creation, not the event's ts: an older ts received later still cancels", async () => {
    await executor.send({ name: "test/cancellable", data: { userId: "u1" }, ts: START });
    await executor.runUntilIdle();
    // The pre-2024 rule (ts before the trigger's = ignored) is gone from the server.
    await executor.send({ name: "test/cancel", data: { userId: "u1" }, ts: START - 1000 });
    await executor.advance(10 * MINUTE);
    expect(onlyRun("cancellable").status).toBe("cancelled");
  });

  it("ignores a cancel received before its run was scheduled (same batch as the trigger)", async () => {
    await executor.send([
      { name: "test/cancellable", data: { userId: "u1" } },
      { name: "test/cancel", data: { userId: "u1" } },
    ]);
    await executor.advance(10 * MINUTE);
    expect(onlyRun("cancellable").status).toBe("completed");
    expect(logs.some((line) => line.includes("received before the run was scheduled"))).toBe(true);
  });

  it("a cancel rule without timeout expires 365 days after the run started", async () => {
    await executor.send({ name: "test/cancellable", data: { userId: "u1" } });
    await executor.runUntilIdle();
    // Still sleeping its 10 minutes; the clock jumps past the rule's lifetime.
    clock.advance(365 * DAY + MINUTE);
    await executor.send({ name: "test/cancel", data: { userId: "u1" } });
    await executor.runUntilIdle();
    expect(onlyRun("cancellable").status).toBe("completed");
  });
});

describe("event dedupe and idempotency", () => {
  it("starts one run for two events with the same id", async () => {
    const first = await executor.send({ id: "evt-1", name: "test/dedupe", data: { n: 1 } });
    const second = await executor.send({ id: "evt-1", name: "test/dedupe", data: { n: 2 } });
    expect(first.ids).toEqual(["evt-1"]);
    expect(second.ids).toEqual(["evt-1"]);
    await executor.runUntilIdle();
    expect(executor.runs({ functionId: "dedupe" })).toHaveLength(1);
    expect(effects).toEqual(["dedupe:1"]);

    // after 24h the id may be used again
    await executor.advance(DAY);
    await executor.send({ id: "evt-1", name: "test/dedupe", data: { n: 3 } });
    await executor.runUntilIdle();
    expect(effects).toEqual(["dedupe:1", "dedupe:3"]);
  });

  it("starts one run per idempotency key per 24h", async () => {
    await executor.send([
      { name: "test/idem", data: { contactId: "c1", n: 1 } },
      { name: "test/idem", data: { contactId: "c1", n: 2 } },
      { name: "test/idem", data: { contactId: "c2", n: 3 } },
    ]);
    await executor.runUntilIdle();
    expect(effects.sort()).toEqual(["idem:c1:1", "idem:c2:3"]);

    await executor.advance(DAY);
    await executor.send({ name: "test/idem", data: { contactId: "c1", n: 4 } });
    await executor.runUntilIdle();
    expect(effects).toContain("idem:c1:4");
  });

  it("honours a trigger's `if` expression", async () => {
    await executor.send([
      { name: "test/filtered", data: { plan: "free" } },
      { name: "test/filtered", data: { plan: "pro" } },
      { name: "test/filtered", data: {} }, // missing key: compares as null (D7), so not equal: no match
    ]);
    await executor.runUntilIdle();
    expect(effects).toEqual(["filtered:pro"]);
  });
});

describe("waitForEvent", () => {
  it("resolves with the matching event", async () => {
    await executor.send({ name: "test/wait.start", data: { threadId: "t1" } });
    await executor.runUntilIdle();
    expect(onlyRun("waiter").status).toBe("waiting");

    await executor.send({ name: "test/reply", data: { threadId: "other", text: "wrong thread" } });
    await executor.runUntilIdle();
    expect(onlyRun("waiter").status).toBe("waiting");

    clock.advance(10 * MINUTE);
    await executor.send({ name: "test/reply", data: { threadId: "t1", text: "hello" } });
    await executor.runUntilIdle();
    const run = onlyRun("waiter");
    expect(run.status).toBe("completed");
    expect(run.output).toEqual({ reply: { threadId: "t1", text: "hello" } });
  });

  it("times out to null", async () => {
    await executor.send({ name: "test/wait.start", data: { threadId: "t1" } });
    await executor.advance(HOUR - 1000);
    expect(onlyRun("waiter").status).toBe("waiting");
    await executor.advance(1000);
    const run = onlyRun("waiter");
    expect(run.status).toBe("completed");
    expect(run.output).toEqual({ reply: null });
    expect(run.endedAt).toBe(START + HOUR);
  });
});

describe("cron", () => {
  it("computes standard 5-field schedules in UTC", () => {
    const saturday = Date.UTC(2025, 0, 4, 10, 0);
    expect(nextCronTime("0 9 * * 1-5", saturday)).toBe(Date.UTC(2025, 0, 6, 9, 0));
    expect(nextCronTime("TZ=Europe/Paris 30 8 1,15 * *", saturday)).toBe(Date.UTC(2025, 0, 15, 8, 30));
    expect(nextCronTime("@hourly", saturday)).toBe(Date.UTC(2025, 0, 4, 11, 0));
    expect(nextCronTime("*/20 9-10 * JAN SAT", saturday)).toBe(Date.UTC(2025, 0, 4, 10, 20));
    expect(() => nextCronTime("61 * * * *", saturday)).toThrow();
  });

  it("fires when the clock passes the scheduled time, once per tick", async () => {
    expect(nextCronTime("*/5 * * * *", START)).toBe(Date.UTC(2025, 0, 6, 12, 5));
    await executor.advance(MINUTE); // 12:04
    expect(executor.runs({ functionId: "every-five-minutes" })).toHaveLength(0);

    await executor.advance(MINUTE); // 12:05
    const runs = executor.runs({ functionId: "every-five-minutes" });
    expect(runs).toHaveLength(1);
    expect(runs[0].status).toBe("completed");
    expect(runs[0].event).toMatchObject({ name: "inngest/scheduled.timer", ts: Date.UTC(2025, 0, 6, 12, 5) });

    // a long jump fires once, not once per missed slot
    await executor.advance(3 * HOUR);
    expect(executor.runs({ functionId: "every-five-minutes" })).toHaveLength(2);
    expect(cronTicks).toEqual(["cron", "cron"]);
  });
});

describe("invoke", () => {
  it("runs the invoked function and returns its output to the caller", async () => {
    await executor.send({ name: "test/parent" });
    await executor.runUntilIdle();
    expect(onlyRun("parent")).toMatchObject({ status: "completed", output: { doubled: 42 } });
    expect(onlyRun("child").event.name).toBe("inngest/function.invoked");
  });
});

describe("event API", () => {
  it("accepts inngest.send() from a client pointed at listen()", async () => {
    const server = await executor.listen(0);
    try {
      const status = await fetch(server.url);
      expect(await status.json()).toMatchObject({ status: "ok" });

      const client = new Inngest({ id: "executor-test-sender", isDev: false, baseUrl: server.url, eventKey: executor.eventKey });
      const { ids } = await client.send([
        { name: "test/multi.start", data: { who: "api" } },
        { name: "test/dedupe", data: { n: 7 } },
      ]);
      expect(ids).toHaveLength(2);
      await executor.runUntilIdle();
      expect(onlyRun("multi-step").event).toMatchObject({ id: ids[0], data: { who: "api" } });
      expect(effects).toEqual(expect.arrayContaining(["first:api", "dedupe:7"]));
    } finally {
      await server.close();
    }
  });

  it("answers the event API in-process and rejects an event without a name", async () => {
    const ok = await executor.eventApiHandler(
      new Request(`http://127.0.0.1/e/${executor.eventKey}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify([{ name: "test/dedupe", data: { n: 1 } }]),
      }),
    );
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 200, ids: [expect.any(String)] });

    const bad = await executor.eventApiHandler(
      new Request(`http://127.0.0.1/e/${executor.eventKey}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify([{ data: {} }]),
      }),
    );
    expect(bad.status).toBe(400);
  });
});

describe("events sent by functions", () => {
  it("delivers step.sendEvent to the executor and starts the triggered run", async () => {
    routeEventsTo((req) => executor.eventApiHandler(req));
    await executor.send({ name: "test/fan-out" });
    await executor.runUntilIdle();
    expect(onlyRun("fan-out")).toMatchObject({ status: "completed", output: { sent: 1 } });
    expect(effects).toEqual(["dedupe:99"]);
  });
});

describe("HTTP mode", () => {
  it("syncs and drives an app reached through serveUrl", async () => {
    const app = await serveOverHttp(handlers);
    try {
      const overHttp = new LocalExecutor({ serveUrl: app.url, clock });
      useExecutor(overHttp);
      const fns = await overHttp.sync();
      expect(fns.find((fn) => fn.id === "executor-test-multi-step")?.steps.step.runtime.url).toContain(app.url);
      await overHttp.send({ name: "test/multi.start", data: { who: "http" } });
      await overHttp.advance(2 * DAY);
      expect(overHttp.runs({ functionId: "multi-step" })[0]).toMatchObject({ status: "completed", output: { result: "a-http-b-c" } });
      expect(effects).toEqual(["first:http", "second:http", "third:http"]);
    } finally {
      await app.close();
    }
  });
});

describe("real-clock mode", () => {
  it("start() runs sent events without explicit ticks", async () => {
    const live = new LocalExecutor({ handlers });
    useExecutor(live);
    await live.sync();
    live.start();
    try {
      await live.send({ name: "test/parallel" });
      const [run] = live.runs({ functionId: "parallel" });
      const done = await live.waitForRun(run.id, 10_000);
      expect(done.status).toBe("completed");
      expect(done.output).toBe("LR");
    } finally {
      await live.stop();
    }
  });
});

describe("function concurrency", () => {
  it("runs one request at a time per key; the others wait, none is dropped", async () => {
    const gate = new Gate();
    gates.set("a1", gate);
    await executor.send([
      { name: "test/limited", data: { k: "a", name: "a1" } },
      { name: "test/limited", data: { k: "a", name: "a2" } },
      { name: "test/limited", data: { k: "b", name: "b1" } },
    ]);
    const idle = executor.runUntilIdle();
    await gate.entered;
    // a1 holds key a's slot: a2 waits, b1 (another key) runs.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(effects).toEqual(expect.arrayContaining(["start:a1", "start:b1", "end:b1"]));
    expect(effects).not.toContain("start:a2");
    gate.open();
    await idle;
    expect(effects.indexOf("start:a2")).toBeGreaterThan(effects.indexOf("end:a1"));
    expect(executor.runs({ functionId: "limited" }).map((r) => r.status)).toEqual(["completed", "completed", "completed"]);
  });
});

describe("a user step named `complete` (the SDK's run-complete id)", () => {
  it("is retried as a step, not as the function's result", async () => {
    await executor.send({ name: "test/complete-step" });
    await executor.advance(HOUR);
    const run = onlyRun("step-named-complete");
    expect(run).toMatchObject({ status: "completed", output: "done" });
    expect(effects).toEqual(["complete:1", "complete:2"]);
    expect(run.steps.map((s) => [s.name, s.op])).toEqual([["complete", "StepRun"]]);
  });

  it("that fails on every attempt is memoized as StepFailed, then the run fails", async () => {
    await executor.send({ name: "test/complete-step", data: { always: true } });
    await executor.advance(HOUR);
    const run = onlyRun("step-named-complete");
    expect(run.status).toBe("failed");
    expect(effects).toEqual(["complete:1", "complete:2"]);
    // The real server memoizes the step's failure by id (executor.go:3918); the SDK then rethrows it.
    expect(run.steps.map((s) => [s.name, s.op])).toEqual([["complete", "StepFailed"]]);
  });
});
