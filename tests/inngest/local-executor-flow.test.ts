/**
 * The local executor's waitForEvent edge cases, duplicate-id events (D5),
 * CEL's null semantics (D7), throttle, rateLimit and keyed concurrency, each
 * as the real Inngest server does it (../../shared/docs/inngest-real-server.md;
 * the executor's comments cite the server's source).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalExecutor, ManualClock, type RunInfo } from "@stepwise/inngest-local";
import { Gate } from "./fixtures/gate";
import { effects, gates, handlers, resetFixtureState, routeEventsTo, useExecutor } from "./fixtures/app";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const START = Date.UTC(2025, 0, 6, 12, 3, 0);

let clock: ManualClock;
let executor: LocalExecutor;
const logs: string[] = [];

async function connect(options: { waitLookbackMs?: number } = {}): Promise<void> {
  clock = new ManualClock(START);
  executor = new LocalExecutor({ handlers, clock, log: (msg) => logs.push(msg), ...options });
  useExecutor(executor);
  await executor.sync();
}

beforeEach(async () => {
  resetFixtureState();
  logs.length = 0;
  await connect();
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

describe("waitForEvent", () => {
  it("is resumed by a matching event received up to 5 s before the wait registered (the server's pipeline lag)", async () => {
    await executor.send({ name: "test/reply", data: { threadId: "t1", text: "early" } });
    clock.advance(5 * SECOND);
    await executor.send({ name: "test/wait.start", data: { threadId: "t1" } });
    await executor.runUntilIdle();
    expect(onlyRun("waiter")).toMatchObject({ status: "completed", output: { reply: { threadId: "t1", text: "early" } } });
  });

  it("is not resumed by one received more than 5 s before, nor by a non-matching one", async () => {
    await executor.send({ name: "test/reply", data: { threadId: "t1", text: "too early" } });
    clock.advance(5 * SECOND + 1);
    await executor.send([
      { name: "test/reply", data: { threadId: "t2", text: "other thread" } },
      { name: "test/wait.start", data: { threadId: "t1" } },
    ]);
    await executor.runUntilIdle();
    expect(onlyRun("waiter").status).toBe("waiting");
  });

  it("an event resumes one wait of a run: the run's next wait, registered right after, does not see it again", async () => {
    await executor.send({ name: "test/two-waits" });
    await executor.runUntilIdle();
    await executor.send({ name: "test/reply", data: { text: "one" } });
    await executor.runUntilIdle();
    expect(onlyRun("two-waits").status).toBe("waiting");
    clock.advance(SECOND);
    await executor.send({ name: "test/reply", data: { text: "two" } });
    await executor.runUntilIdle();
    expect(onlyRun("two-waits")).toMatchObject({ status: "completed", output: { first: "one", second: "two" } });
  });

  it("with waitLookbackMs 0 (the server's fast path) an earlier event never resumes it", async () => {
    await executor.stop();
    await connect({ waitLookbackMs: 0 });
    await executor.send({ name: "test/reply", data: { threadId: "t1", text: "early" } });
    await executor.send({ name: "test/wait.start", data: { threadId: "t1" } });
    await executor.runUntilIdle();
    expect(onlyRun("waiter").status).toBe("waiting");
  });

  it("whose `if` does not compile fails the run at once, without retries (InvalidExpression)", async () => {
    await executor.send({ name: "test/bad-wait" });
    await executor.runUntilIdle();
    const run = onlyRun("bad-wait");
    expect(run.status).toBe("failed");
    expect(run.error).toMatchObject({ name: "InvalidExpression" });
    expect(run.endedAt).toBe(START);
    expect(effects).toEqual([]);
  });

  it("accepts a timeout of 366 days and fails the run for a longer one (InngestErrTimeoutTooLong)", async () => {
    await executor.send({ name: "test/long-wait", data: { timeout: "366d" } });
    await executor.send({ name: "test/long-wait", data: { timeout: "367d" } });
    await executor.runUntilIdle();
    const [ok, tooLong] = executor.runs({ functionId: "long-wait" });
    expect(ok.status).toBe("waiting");
    expect(tooLong.status).toBe("failed");
    expect(tooLong.error).toMatchObject({ name: "InngestErrTimeoutTooLong" });
    await executor.advance(366 * DAY);
    expect(executor.getRun(ok.id)?.status).toBe("completed");
    expect(effects).toEqual(["after-long-wait:timeout"]);
  });
});

describe("events with a duplicate id (D5)", () => {
  it("still resume a wait", async () => {
    await executor.send({ id: "reply-1", name: "test/reply", data: { threadId: "elsewhere" } });
    clock.advance(MINUTE);
    await executor.send({ name: "test/wait.start", data: { threadId: "t1" } });
    await executor.runUntilIdle();
    await executor.send({ id: "reply-1", name: "test/reply", data: { threadId: "t1", text: "again" } });
    await executor.runUntilIdle();
    expect(onlyRun("waiter")).toMatchObject({ status: "completed", output: { reply: { threadId: "t1", text: "again" } } });
  });

  it("still cancel, and start no second run", async () => {
    await executor.send({ id: "evt-1", name: "test/cancellable", data: { userId: "u1" } });
    await executor.send({ id: "cancel-1", name: "test/cancel", data: { userId: "nobody" } });
    await executor.runUntilIdle();
    clock.advance(MINUTE);
    await executor.send([
      { id: "evt-1", name: "test/cancellable", data: { userId: "u2" } },
      { id: "cancel-1", name: "test/cancel", data: { userId: "u1" } },
    ]);
    await executor.advance(HOUR);
    expect(onlyRun("cancellable").status).toBe("cancelled");
  });
});

describe("CEL compares a missing key as null (D7)", () => {
  it("a cancel without the optional key cancels every matching run, as the app's own rules expect", async () => {
    await executor.send([
      { name: "test/cancel-any", data: { userId: "u1", listId: "L1" } },
      { name: "test/cancel-any", data: { userId: "u1", listId: "L2" } },
      { name: "test/cancel-any", data: { userId: "u2", listId: "L1" } },
    ]);
    await executor.runUntilIdle();
    clock.advance(MINUTE);
    await executor.send({ name: "test/stop-any", data: { userId: "u1" } });
    await executor.advance(HOUR);
    const status = executor.runs({ functionId: "cancel-any" }).map((r) => `${String(r.event.data.userId)}/${String(r.event.data.listId)}:${r.status}`);
    expect(status).toEqual(["u1/L1:cancelled", "u1/L2:cancelled", "u2/L1:completed"]);
    expect(logs.some((line) => line.includes("failed"))).toBe(false);
  });
});

describe("throttle", () => {
  it("delays starts per key from the trigger event, drops none, and does not delay later steps", async () => {
    await executor.send([
      { name: "test/throttled", data: { account: "a", name: "a1" } },
      { name: "test/throttled", data: { account: "a", name: "a2" } },
      { name: "test/throttled", data: { account: "a", name: "a3" } },
      { name: "test/throttled", data: { account: "b", name: "b1" } },
    ]);
    await executor.advance(3 * MINUTE);
    const firstSteps = effects.filter((e) => e.startsWith("throttled:"));
    expect(firstSteps).toEqual([`throttled:a1@${START}`, `throttled:b1@${START}`, `throttled:a2@${START + MINUTE}`, `throttled:a3@${START + 2 * MINUTE}`]);
    // a1's second step comes 10 s after its first, not behind a2's start.
    expect(effects).toContain(`throttled-again:a1@${START + 10 * SECOND}`);
    expect(executor.runs({ functionId: "throttled" }).map((r) => r.status)).toEqual(["completed", "completed", "completed", "completed"]);
  });

  it("puts every event without the key in one shared bucket", async () => {
    await executor.send([
      { name: "test/throttled", data: { name: "x1" } },
      { name: "test/throttled", data: { name: "x2" } },
    ]);
    await executor.advance(2 * MINUTE);
    expect(effects.filter((e) => e.startsWith("throttled:"))).toEqual([`throttled:x1@${START}`, `throttled:x2@${START + MINUTE}`]);
  });

  it("a start waiting for its slot is a run already (the server creates it, then its first request waits)", async () => {
    await executor.send({ name: "test/throttled", data: { account: "a", name: "a1" } });
    await executor.send({ name: "test/throttled", data: { account: "a", name: "a2" } });
    await executor.advance(30 * SECOND);
    const [, waiting] = executor.runs({ functionId: "throttled" });
    expect(waiting).toMatchObject({ status: "running", steps: [] });
    expect(executor.nextDueTime()).toBe(START + MINUTE);
  });
});

describe("rateLimit", () => {
  it("drops starts over the limit per key (nothing runs later), keys apart", async () => {
    await executor.send([
      { name: "test/rate-limited", data: { k: "a", n: 1 } },
      { name: "test/rate-limited", data: { k: "a", n: 2 } },
      { name: "test/rate-limited", data: { k: "b", n: 3 } },
    ]);
    clock.advance(30 * MINUTE);
    await executor.send({ name: "test/rate-limited", data: { k: "a", n: 4 } });
    await executor.advance(HOUR);
    expect(effects).toEqual(["rate-limited:1", "rate-limited:3"]);
    expect(executor.runs({ functionId: "rate-limited" })).toHaveLength(2);

    await executor.send({ name: "test/rate-limited", data: { k: "a", n: 5 } });
    await executor.runUntilIdle();
    expect(effects).toContain("rate-limited:5");
  });
});

describe("concurrency with two keyed limits and an env scope", () => {
  it("shares an env-scoped key across functions while each function's own key limits too", async () => {
    const [held, other] = [new Gate(), new Gate()];
    gates.set("t1-u1", held);
    gates.set("other-t1", other);
    await executor.send([
      { name: "test/team", data: { team: "t1", user: "u1", name: "t1-u1" } },
      { name: "test/team", data: { team: "t1", user: "u1", name: "t1-u1-again" } },
      { name: "test/team-other", data: { team: "t1", name: "other-t1" } },
      { name: "test/team", data: { team: "t1", user: "u2", name: "t1-u2" } },
      { name: "test/team-other", data: { team: "t2", name: "other-t2" } },
    ]);
    const idle = executor.runUntilIdle();
    await Promise.all([held.entered, other.entered]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Team t1's two slots are held (one by each function); user u1's one slot too. Team t2 is free.
    expect(effects).toEqual(expect.arrayContaining(["start:t1-u1", "start:other-t1", "start:other-t2", "end:other-t2"]));
    expect(effects).not.toContain("start:t1-u1-again");
    expect(effects).not.toContain("start:t1-u2");
    other.open();
    await new Promise((resolve) => setTimeout(resolve, 300));
    // A team slot is free, but u1's is not: only u2 may start.
    expect(effects).toContain("start:t1-u2");
    expect(effects).not.toContain("start:t1-u1-again");
    held.open();
    await idle;
    expect(effects.indexOf("start:t1-u1-again")).toBeGreaterThan(effects.indexOf("end:t1-u1"));
    expect(executor.runs().filter((r) => r.functionId.includes("team")).every((r) => r.status === "completed")).toBe(true);
  });
});
