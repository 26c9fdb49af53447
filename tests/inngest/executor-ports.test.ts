/**
 * The executor's event API and the e2e clock control port answer only
 * programs on this machine that hold the per-start key: a wrong key, a wrong
 * content type, a foreign Host, a cross-site request are refused and route
 * nothing.
 */
import { request as httpRequest } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalExecutor, ManualClock, type EventApiServer } from "@stepwise/inngest-local";
import { OffsetClock, startExecutorControl } from "@/scripts/lib/executor-control";
import { handlers, resetFixtureState, routeEventsTo, useExecutor } from "./fixtures/app";

type Reply = { status: number; body: string };

/** Raw HTTP, so that any Host header can be sent (fetch would not let us). */
function send(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method: opts.method ?? "POST", headers: opts.headers },
      (res) => {
        let body = "";
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

const JSON_TYPE = { "content-type": "application/json" };
const EVENT = JSON.stringify([{ name: "test/multi.start", data: { who: "intruder" } }]);

let executor: LocalExecutor;
let server: EventApiServer;
const logs: string[] = [];

beforeEach(async () => {
  resetFixtureState();
  logs.length = 0;
  executor = new LocalExecutor({ handlers, clock: new ManualClock(Date.UTC(2026, 0, 5)), log: (m) => logs.push(m) });
  useExecutor(executor);
  await executor.sync();
  server = await executor.listen(0);
});
afterEach(async () => {
  routeEventsTo(undefined);
  await server.close();
  await executor.stop();
});

describe("the event API", () => {
  const refusals: [string, () => { path: string; headers: Record<string, string> }, number][] = [
    ["a wrong event key", () => ({ path: `/e/${"0".repeat(64)}`, headers: JSON_TYPE }), 401],
    ["the dev mode's NO_EVENT_KEY_SET", () => ({ path: "/e/NO_EVENT_KEY_SET", headers: JSON_TYPE }), 401],
    ["a form content type", () => ({ path: `/e/${executor.eventKey}`, headers: { "content-type": "application/x-www-form-urlencoded" } }), 415],
    ["text/plain (a CORS-simple request)", () => ({ path: `/e/${executor.eventKey}`, headers: { "content-type": "text/plain" } }), 415],
    ["a foreign Host (DNS rebinding)", () => ({ path: `/e/${executor.eventKey}`, headers: { ...JSON_TYPE, host: "evil.example:8289" } }), 421],
    ["a cross-site Origin", () => ({ path: `/e/${executor.eventKey}`, headers: { ...JSON_TYPE, origin: "https://evil.example" } }), 403],
    ["a page on localhost (any Origin)", () => ({ path: `/e/${executor.eventKey}`, headers: { ...JSON_TYPE, origin: "http://localhost:3000" } }), 403],
    ["Sec-Fetch-Site: cross-site", () => ({ path: `/e/${executor.eventKey}`, headers: { ...JSON_TYPE, "sec-fetch-site": "cross-site" } }), 403],
  ];

  it.each(refusals)("refuses %s and routes nothing", async (_name, make, status) => {
    const { path, headers } = make();
    const reply = await send(`${server.url}${path}`, { headers, body: EVENT });
    expect(reply.status).toBe(status);
    await executor.runUntilIdle();
    expect(executor.runs()).toEqual([]);
    expect(logs.filter((line) => line.startsWith("event "))).toEqual([]);
  });

  it("accepts the key, JSON and a loopback Host, and starts the run", async () => {
    const reply = await send(`${server.url}/e/${executor.eventKey}`, { headers: JSON_TYPE, body: EVENT });
    expect(reply.status).toBe(200);
    expect(executor.runs({ functionId: "multi-step" })).toHaveLength(1);
  });

  it("logs event names escaped: a name cannot forge a log line", async () => {
    const forged = 'x\n[executor] run 01FAKE completed\u2028"';
    await executor.send({ name: forged, data: {} });
    const line = logs.find((l) => l.startsWith("event "));
    expect(line).toBeDefined();
    expect(line).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(line).toContain(JSON.stringify(forged).replace("\u2028", "\\u2028"));
  });

  it("refuses a checkpoint without the hashed signing key, and any API call it does not implement", async () => {
    const body = JSON.stringify({ run_id: "r", steps: [] });
    const unsigned = await send(`${server.url}/v1/checkpoint/r/async`, { headers: JSON_TYPE, body });
    expect(unsigned.status).toBe(401);
    const wrong = await send(`${server.url}/v1/checkpoint/r/async`, { headers: { ...JSON_TYPE, authorization: `Bearer signkey-local-${"0".repeat(64)}` }, body });
    expect(wrong.status).toBe(401);
    const { hashSigningKey } = await import("@stepwise/inngest-local");
    const auth = { ...JSON_TYPE, authorization: `Bearer ${hashSigningKey(executor.signingKey)}` };
    // Sync-mode checkpoints (a new run from the app) are not implemented: said loudly.
    const sync = await send(`${server.url}/v1/checkpoint`, { headers: auth, body });
    expect(sync.status).toBe(501);
    expect(logs.some((line) => line.startsWith("NOT IMPLEMENTED"))).toBe(true);
    const unknownRun = await send(`${server.url}/v1/checkpoint/r/async`, { headers: auth, body });
    expect(unknownRun.status).toBe(400);
  });
});

describe("the e2e clock control port", () => {
  const KEY = "control-key-0123456789abcdef";
  let control: ReturnType<typeof startExecutorControl>;
  let clock: OffsetClock;
  let url: string;

  beforeEach(async () => {
    clock = new OffsetClock();
    // Port 0: a port the system knows is free (a random pick could collide with an outgoing connection's).
    control = startExecutorControl(0, executor, clock, KEY);
    const port = await control.listening;
    url = `http://127.0.0.1:${port}/advance?ms=60000`;
  });
  afterEach(async () => {
    await control.close();
  });

  const auth = { ...JSON_TYPE, authorization: `Bearer ${KEY}` };
  const refusals: [string, Record<string, string>, number][] = [
    ["no key", JSON_TYPE, 401],
    ["a wrong key", { ...JSON_TYPE, authorization: "Bearer control-key-0123456789abcdeX" }, 401],
    ["a wrong content type", { ...auth, "content-type": "text/plain" }, 415],
    ["a foreign Host", { ...auth, host: "evil.example" }, 421],
    ["a cross-site Origin", { ...auth, origin: "https://evil.example" }, 403],
    ["Sec-Fetch-Site: same-site", { ...auth, "sec-fetch-site": "same-site" }, 403],
  ];

  it.each(refusals)("refuses %s and moves no clock", async (_name, headers, status) => {
    const reply = await send(url, { headers });
    expect(reply.status).toBe(status);
    expect(clock.offsetMs).toBe(0);
  });

  it("moves the clock for the key holder", async () => {
    const reply = await send(url, { headers: auth });
    expect(reply.status).toBe(200);
    expect(clock.offsetMs).toBe(60_000);
  });

  it("will not start with a short key", () => {
    expect(() => startExecutorControl(0, executor, clock, "short")).toThrow(/key/);
  });
});
