/**
 * The client address behind a real HTTP server: the hook that start.ts
 * loads into the Next process resolves X-Forwarded-For from the socket (and
 * TRUSTED_PROXY_HOPS) before the route sees it, so a spoofed header moves no
 * rate limit and no consent record.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setClock } from "../../lib/clock";
import { SIGNUP_RATE_LIMIT } from "../../lib/contacts/signup";
import { resetDb, testDb } from "../support/db";
import { testDatabaseUrl } from "../support/database-url";

process.env.STEPWISE_CLIENT_ADDRESS_HOOK = "0"; // installed per server below, with the hops under test
process.env.STEPWISE_SIGNUP_OPT_IN = "single"; // only the per-IP limit is under test here
const hook = await import("../../lib/security/client-address-hook.mjs");

const db = testDb();
let POST: (request: Request) => Promise<Response>;
const servers: http.Server[] = [];

beforeAll(async () => {
  process.env.DATABASE_URL = testDatabaseUrl();
  ({ POST } = await import("../../app/api/signup/route"));
});
beforeEach(async () => {
  await resetDb();
  // One rate-limit window for each test, however slow the machine.
  const frozen = Date.now();
  setClock({ now: () => frozen });
});
afterEach(() => setClock(null));
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

/** Serves the signup route the way Next does: Node request -> web Request. */
async function signupServer(hops: number): Promise<string> {
  const server = http.createServer(async (req, res) => {
    hook.stampClientAddress(req, hops);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const response = await POST(new Request(`http://localhost${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) }));
    res.writeHead(response.status, { "content-type": "application/json" }).end(await response.text());
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/signup`;
}

const signup = (url: string, i: number, forwardedFor?: string) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) },
    body: JSON.stringify({ email: `spoof-${i}@example.com` }),
  }).then((r) => r.status);

describe("client address over HTTP", () => {
  it("without trusted proxies, a different X-Forwarded-For on every request bypasses nothing", async () => {
    const url = await signupServer(0);
    const statuses = [];
    for (let i = 0; i <= SIGNUP_RATE_LIMIT.limit; i++) statuses.push(await signup(url, i, `10.0.1.${i}, 10.9.9.${i}`));
    expect(statuses.slice(0, -1).every((s) => s === 202)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // Counted under the socket's address, never under a header value.
    expect((await db.rateLimit.findMany({ select: { key: true } })).map((r) => r.key)).toEqual(["signup:ip:127.0.0.1"]);
  });

  it("with TRUSTED_PROXY_HOPS=1, the address the proxy appended counts, not what the client put before it", async () => {
    const url = await signupServer(1);
    const statuses = [];
    for (let i = 0; i <= SIGNUP_RATE_LIMIT.limit; i++) statuses.push(await signup(url, i, `10.0.1.${i}, 198.51.100.23`));
    expect(statuses.at(-1)).toBe(429);
    expect((await db.rateLimit.findMany({ select: { key: true } })).map((r) => r.key)).toEqual(["signup:ip:198.51.100.23"]);
  });

  it("installs on every HTTP server in the process and drops client-sent X-Real-IP", async () => {
    hook.installClientAddressHook(0);
    let seen: http.IncomingHttpHeaders = {};
    const server = http.createServer((req, res) => {
      seen = req.headers;
      res.end();
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { headers: { "x-forwarded-for": "6.6.6.6", "x-real-ip": "7.7.7.7" } });
    expect(seen["x-forwarded-for"]).toBe("127.0.0.1");
    expect(seen["x-real-ip"]).toBeUndefined();
  });
});

describe("trustedProxyHops", () => {
  it("reads a whole number and refuses anything else", () => {
    expect(hook.trustedProxyHops(undefined)).toBe(0);
    expect(hook.trustedProxyHops("2")).toBe(2);
    for (const bad of ["-1", "1.5", "x", "100"]) expect(() => hook.trustedProxyHops(bad)).toThrow(/TRUSTED_PROXY_HOPS/);
  });
});
