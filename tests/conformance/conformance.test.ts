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
});
