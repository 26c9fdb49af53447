/**
 * Bodies, byte by byte, for every route of the catalog that reads one: the
 * one body reader (lib/security/body.ts) refuses invalid UTF-8 with 400 and
 * anything past the route's cap with 413 (declared or streamed), before
 * parsing or authenticating, and writes nothing. Attribute keys that reach
 * an object's prototype and object-valued attributes are 422 field errors.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { BODY_LIMITS } from "../../lib/security/body";
import { signWebhook } from "../../lib/security/webhook-signature";
import { makeActionFixtures, type Fixtures } from "../support/action-catalog";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { dataFingerprint } from "../support/fault-db";
import { actAs } from "../support/fault-session";
import { ROUTE_CATALOG, routesOnDisk, type LoadedRoute, type RouteEntry } from "../support/route-catalog";
import { testDatabaseUrl } from "../support/database-url";

vi.mock("next/headers", async () => (await import("../support/fault-session")).nextHeadersMock);
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const WEBHOOK_SECRET = "fault-suite-webhook-secret-0123456789";
process.env.DATABASE_URL = testDatabaseUrl();
process.env.STEPWISE_SIGNING_SECRET ??= "fault-suite-signing-secret-0123456789";
process.env.WEBHOOK_SECRET = WEBHOOK_SECRET;

const db = testDb();
const events = recordEvents();
let routes: LoadedRoute[];
let fx: Fixtures;

beforeAll(async () => {
  await resetDb(db);
  routes = await routesOnDisk();
  fx = await makeActionFixtures(db);
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterAll(() => {
  vi.restoreAllMocks();
  events.restore();
});

const limitOf = (entry: RouteEntry) =>
  entry.auth === "webhook-signature" ? BODY_LIMITS.webhook : entry.route === "/api/signup" ? BODY_LIMITS.signup : BODY_LIMITS.api;

let ip = 0;
/** Sends raw bytes with valid credentials (webhooks signed over the bytes as Latin-1 would not verify, so as sent). */
async function send(entry: RouteEntry, body: Uint8Array | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  const valid = entry.request!(fx);
  const all: Record<string, string> = {
    "content-type": "application/json",
    "x-forwarded-for": `192.0.2.${(ip++ % 250) + 1}`,
    authorization: `Bearer ${fx.apiKey.key}`,
    ...headers,
  };
  if (entry.auth === "webhook-signature" && body instanceof Uint8Array) {
    all["x-stepwise-signature"] = signWebhook(Buffer.from(body).toString("utf8"), WEBHOOK_SECRET, { method: entry.method, path: valid.path });
  }
  actAs(null, all["x-forwarded-for"]);
  const handler = routes.find((r) => r.route === entry.route && r.method === entry.method)!.handler;
  const init: RequestInit & { duplex?: "half" } = { method: entry.method, headers: all, body: body as BodyInit, duplex: "half" };
  const response = await handler(new Request(`http://localhost:3000${valid.path}`, init), { params: Promise.resolve(valid.params) });
  return { status: response.status, json: (await response.json()) as { error?: { code: string; fieldErrors?: Record<string, string[]> } } };
}

const isUtf8 = (bytes: Uint8Array) => {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

const bodyRoutes = ROUTE_CATALOG.filter((e) => e.body === "json" && e.request);

describe.each(bodyRoutes)("$method $route: bytes and sizes", (entry) => {
  it("invalid UTF-8 (a lone continuation byte, an overlong form, a truncated sequence) is a 400 that writes nothing", async () => {
    const valid = new TextEncoder().encode(entry.request!(fx).body!);
    for (const bad of [[0x80], [0xc0, 0xaf], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xff]]) {
      const body = new Uint8Array([...valid.slice(0, -2), ...bad, ...valid.slice(-2)]);
      const before = await dataFingerprint(db);
      const { status, json } = await send(entry, body);
      expect(status, `${entry.method} ${entry.route}`).toBe(400);
      expect(json.error?.code).toBe("invalid_encoding");
      expect(await dataFingerprint(db)).toEqual(before);
    }
  });

  it("random byte strings: a 400 whenever they are not UTF-8, never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => {
        const { status, json } = await send(entry, bytes);
        expect(status).toBeLessThan(500);
        if (!isUtf8(bytes)) expect(json.error?.code).toBe("invalid_encoding");
      }),
      { numRuns: 15 },
    );
  });

  it("a body past the cap is a 413, declared or streamed, before anything else", async () => {
    const limit = limitOf(entry);
    const declared = await send(entry, new Uint8Array(10), { "content-length": String(limit + 1) });
    expect(declared.status).toBe(413);
    // No Content-Length: counted while streaming, and the stream is not read to its end.
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 16 * 1024;
        controller.enqueue(new Uint8Array(16 * 1024).fill(0x20));
      },
    });
    const streamed = await send(entry, endless);
    expect(streamed.status).toBe(413);
    expect(streamed.json.error?.code).toBe("payload_too_large");
    expect(pulled).toBeLessThanOrEqual(limit + 64 * 1024);
    // Exactly at the cap is not refused for its size.
    const atCap = await send(entry, new Uint8Array(limit).fill(0x20));
    expect(atCap.status).not.toBe(413);
  });
});

describe("attribute keys and values", () => {
  const contactRoutes = ROUTE_CATALOG.filter((e) => e.route.startsWith("/api/v1/contacts") && ["POST", "PATCH"].includes(e.method) && e.route !== "/api/v1/contacts/[id]/tags");
  it.each(contactRoutes.map((e) => [`${e.method} ${e.route}`, e] as const))("%s: __proto__, constructor, prototype and object values are 422 field errors", async (_label, entry) => {
    const valid = JSON.parse(entry.request!(fx).body!) as Record<string, unknown>;
    const cases = [...["__proto__", "constructor", "prototype"].map((key) => `{"${key}":"x"}`), '{"plan":{"tier":"pro"}}', '{"plan":["a"]}'];
    for (const attributes of cases) {
      const before = await dataFingerprint(db);
      const body = JSON.stringify({ ...valid, attributes: "@@" }).replace('"@@"', attributes);
      const { status, json } = await send(entry, new TextEncoder().encode(body));
      expect(status, `${attributes}`).toBe(422);
      expect(Object.keys(json.error?.fieldErrors ?? {}).some((k) => k.startsWith("attributes")), JSON.stringify(json)).toBe(true);
      expect(await dataFingerprint(db)).toEqual(before);
    }
  });

  it("random keys: accepted only when they follow the merge-tag syntax and are not prototype names", async () => {
    const entry = ROUTE_CATALOG.find((e) => e.route === "/api/v1/contacts/[id]" && e.method === "PATCH")!;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("__proto__", "constructor", "prototype", "__defineGetter__", "toString")), async (key) => {
        const body = `{"attributes":{${JSON.stringify(key)}:"x"}}`;
        const { status } = await send(entry, new TextEncoder().encode(body));
        const allowed = /^[A-Za-z_][\w.]*$/.test(key.trim()) && key.trim().length <= 64 && !["__proto__", "constructor", "prototype", "email", "firstName", "lastName"].includes(key.trim());
        expect(status, key).toBe(allowed ? 200 : 422);
      }),
      { numRuns: 40 },
    );
  });
});
