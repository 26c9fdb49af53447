/**
 * Conformance: scenarios written against the SDK's public surface and
 * observable outcomes only. They run against the local executor in `npm
 * test`, and against a real Inngest dev server when INNGEST_CONFORMANCE_URL
 * is set (e.g. `npx inngest-cli@<version> dev`, then
 * INNGEST_CONFORMANCE_URL=http://127.0.0.1:8288). That leg is the suite's
 * only conditional one: no Inngest server can be installed on the CI machines.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { observed } from "./app";
import { devServerDriver, localDriver, type Driver } from "./drivers";

const realServer = process.env.INNGEST_CONFORMANCE_URL;
if (!realServer) {
  console.log("conformance: INNGEST_CONFORMANCE_URL is not set, so the real Inngest server leg did not run (only the local executor's)");
}

const legs: [string, () => Promise<Driver>][] = [["local executor", localDriver]];
if (realServer) legs.push(["real Inngest dev server", () => devServerDriver(realServer)]);

/** Pipeline latency on a real server: outcomes are awaited, not assumed instant. */
async function eventually(driver: Driver, check: () => void, budgetMs = 15_000): Promise<void> {
  for (let waited = 0; ; waited += 500) {
    try {
      check();
      return;
    } catch (error) {
      if (waited >= budgetMs) throw error;
      await driver.elapse(500);
    }
  }
}

describe.each(legs)("conformance against the %s", (_name, connect) => {
  let driver: Driver;
  const tag = () => Math.random().toString(36).slice(2, 8);

  beforeEach(async () => {
    observed.length = 0;
    driver = await connect();
  });
  afterEach(async () => {
    await driver.close();
  });

  it("runs each step once, in order, across a sleep", async () => {
    const t = tag();
    await driver.send([{ name: "conf/steps", data: { tag: t } }]);
    await eventually(driver, () => expect(observed).toContain(`three:${t}`));
    expect(observed.filter((o) => o.endsWith(`:${t}`))).toEqual([`one:${t}`, `two:${t}`, `three:${t}`]);
  });

  it("a matching cancel event sent after the run started stops it before its next step", async () => {
    const [a, b] = [tag(), tag()];
    await driver.send([
      { name: "conf/cancellable", data: { tag: a } },
      { name: "conf/cancellable", data: { tag: b } },
    ]);
    await eventually(driver, () => expect(observed).toEqual(expect.arrayContaining([`before:${a}`, `before:${b}`])));
    await driver.send([{ name: "conf/stop", data: { tag: a } }]);
    await eventually(driver, () => expect(observed).toContain(`after:${b}`));
    await driver.elapse(1000);
    expect(observed).not.toContain(`after:${a}`);
  });

  it("one run per idempotency key; a second event with the key is dropped", async () => {
    const key = tag();
    await driver.send([{ name: "conf/idem", data: { key, n: 1 } }]);
    await driver.send([{ name: "conf/idem", data: { key, n: 2 } }]);
    await eventually(driver, () => expect(observed).toContain("idem:1"));
    await driver.elapse(2000);
    expect(observed.filter((o) => o.startsWith("idem:"))).toEqual(["idem:1"]);
  });

  it("one run per event id: a duplicate id starts nothing", async () => {
    const id = `conf-${tag()}`;
    await driver.send([{ name: "conf/idem", id, data: { key: tag(), n: 3 } }]);
    await driver.send([{ name: "conf/idem", id, data: { key: tag(), n: 4 } }]);
    await eventually(driver, () => expect(observed).toContain("idem:3"));
    await driver.elapse(2000);
    expect(observed).not.toContain("idem:4");
  });

  it("concurrency limit 1 delays the second run's step until the first ends; neither is dropped", async () => {
    const [a, b] = [tag(), tag()];
    await driver.send([
      { name: "conf/limited", data: { tag: a } },
      { name: "conf/limited", data: { tag: b } },
    ]);
    await eventually(driver, () => expect(observed.filter((o) => o.startsWith("end:"))).toHaveLength(2));
    const order = observed.filter((o) => /^(start|end):/.test(o));
    // Never two in progress at once.
    expect([order[0].split(":")[1], order[1].split(":")[1]]).toEqual([order[0].split(":")[1], order[0].split(":")[1]]);
    expect(order.map((o) => o.split(":")[0])).toEqual(["start", "end", "start", "end"]);
  });

  it("waitForEvent resumes with the first matching event sent after it registered, and ignores the rest", async () => {
    const t = tag();
    await driver.send([{ name: "conf/wait", data: { tag: t } }]);
    await eventually(driver, () => expect(observed).toContain(`waiting:${t}`));
    await driver.elapse(1000);
    await driver.send([{ name: "conf/reply", data: { tag: "someone-else", text: "no" } }]);
    await driver.send([{ name: "conf/reply", data: { tag: t, text: "yes" } }]);
    await eventually(driver, () => expect(observed).toContain(`resumed:${t}:yes`));
    expect(observed.filter((o) => o.startsWith(`resumed:${t}`) || o === `timed-out:${t}`)).toEqual([`resumed:${t}:yes`]);
  });

  it("waitForEvent is not resumed by a matching event sent more than 5 s before it registered; it times out", async () => {
    const t = tag();
    await driver.send([{ name: "conf/reply", data: { tag: t, text: "too early" } }]);
    await driver.elapse(6500);
    await driver.send([{ name: "conf/wait", data: { tag: t, timeout: "3s" } }]);
    await eventually(driver, () => expect(observed).toContain(`timed-out:${t}`));
    expect(observed).not.toContain(`resumed:${t}:too early`);
  });

  it("waitForEvent with an `if` that does not compile fails the run at once (InvalidExpression)", async () => {
    const t = tag();
    await driver.send([{ name: "conf/wait", data: { tag: t, if: "async.data.(" } }]);
    await eventually(driver, () => expect(observed).toContain(`failed:${t}:InvalidExpression`));
    expect(observed).not.toContain(`timed-out:${t}`);
  });

  it("waitForEvent with a timeout over 366 days fails the run (InngestErrTimeoutTooLong)", async () => {
    const t = tag();
    await driver.send([{ name: "conf/wait", data: { tag: t, timeout: "367d" } }]);
    await eventually(driver, () => expect(observed).toContain(`failed:${t}:InngestErrTimeoutTooLong`));
  });

  it("an event whose id was already used still resumes a wait", async () => {
    const [t, id] = [tag(), `conf-reply-${tag()}`];
    await driver.send([{ name: "conf/reply", id, data: { tag: "nobody", text: "first use" } }]);
    await driver.elapse(6000);
    await driver.send([{ name: "conf/wait", data: { tag: t } }]);
    await eventually(driver, () => expect(observed).toContain(`waiting:${t}`));
    await driver.elapse(1000);
    await driver.send([{ name: "conf/reply", id, data: { tag: t, text: "same id" } }]);
    await eventually(driver, () => expect(observed).toContain(`resumed:${t}:same id`));
  });

  it("a cancel event whose id was already used still cancels", async () => {
    const [a, b, id] = [tag(), tag(), `conf-stop-${tag()}`];
    await driver.send([{ name: "conf/stop", id, data: { tag: "nobody" } }]);
    await driver.send([
      { name: "conf/cancellable", data: { tag: a } },
      { name: "conf/cancellable", data: { tag: b } },
    ]);
    await eventually(driver, () => expect(observed).toEqual(expect.arrayContaining([`before:${a}`, `before:${b}`])));
    await driver.send([{ name: "conf/stop", id, data: { tag: a } }]);
    await eventually(driver, () => expect(observed).toContain(`after:${b}`));
    await driver.elapse(1000);
    expect(observed).not.toContain(`after:${a}`);
  });

  it("a cancel `if` reading a key the cancel event lacks compares it as null", async () => {
    const [group, a, b, c] = [tag(), tag(), tag(), tag()];
    await driver.send([
      { name: "conf/grouped", data: { group, tag: a } },
      { name: "conf/grouped", data: { group, tag: b } },
      { name: "conf/grouped", data: { group: tag(), tag: c } },
    ]);
    await eventually(driver, () => expect(observed).toEqual(expect.arrayContaining([`before:${a}`, `before:${b}`, `before:${c}`])));
    await driver.send([{ name: "conf/stop-group", data: { group } }]);
    await eventually(driver, () => expect(observed).toContain(`after:${c}`));
    await driver.elapse(1000);
    expect(observed).not.toContain(`after:${a}`);
    expect(observed).not.toContain(`after:${b}`);
  });

  it("throttle delays starts beyond the limit per key and drops none", async () => {
    const [group, other] = [tag(), tag()];
    await driver.send([1, 2, 3].map((n) => ({ name: "conf/throttled", data: { group, tag: `${group}-${n}` } })));
    await driver.send([{ name: "conf/throttled", data: { group: other, tag: `${other}-1` } }]);
    await driver.elapse(500);
    // One start per 2 s per group: at most one of the three so far; the other group is not held back.
    expect(observed.filter((o) => o.startsWith(`throttled:${group}`)).length).toBeLessThanOrEqual(1);
    await eventually(driver, () => expect(observed).toContain(`throttled:${other}-1`));
    await eventually(driver, () => expect(observed.filter((o) => o.startsWith(`throttled:${group}`))).toHaveLength(3));
  });

  it("rateLimit drops starts over the limit per key; they never run", async () => {
    const [group, other] = [tag(), tag()];
    await driver.send([1, 2, 3].map((n) => ({ name: "conf/rate-limited", data: { group, tag: `${group}-${n}` } })));
    await driver.send([{ name: "conf/rate-limited", data: { group: other, tag: `${other}-1` } }]);
    await eventually(driver, () => expect(observed).toEqual(expect.arrayContaining([`rate-limited:${group}-1`, `rate-limited:${other}-1`])));
    await driver.elapse(3000);
    expect(observed.filter((o) => o.startsWith(`rate-limited:${group}`))).toEqual([`rate-limited:${group}-1`]);
  });
});
