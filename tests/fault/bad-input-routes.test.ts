/**
 * Bad input, route handlers and webhooks: each route of the catalog, called
 * with valid credentials (so that input handling is what answers) and
 * malformed, oversized and hostile bodies, ids, tokens and query strings
 * from fast-check. Always a 2xx or a 4xx with a JSON error, never a 500 or a
 * thrown exception or a broken download, and a refused request writes
 * nothing. Webhook bodies are signed, so they get past the signature check.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { signWebhook } from "../../lib/security/webhook-signature";
import { makeActionFixtures, type Fixtures } from "../support/action-catalog";
import { resetDb, testDb } from "../support/db";
import { expectRendersEscaped } from "../support/escaping";
import { recordEvents } from "../support/events";
import { dataFingerprint } from "../support/fault-db";
import { actAs, signInAs, type SignedInUser } from "../support/fault-session";
import { decodableFromUrl, hostileJsonValue, hostileString, mutationsOf, setPath, stringPaths, UNSTORABLE } from "../support/hostile";
import { ROUTE_CATALOG, routesOnDisk, type LoadedRoute, type RouteEntry } from "../support/route-catalog";
import { testDatabaseUrl } from "../support/database-url";

vi.mock("next/headers", async () => (await import("../support/fault-session")).nextHeadersMock);
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const WEBHOOK_SECRET = "fault-suite-webhook-secret-0123456789";
process.env.DATABASE_URL = testDatabaseUrl();
process.env.STEPWISE_SIGNING_SECRET ??= "fault-suite-signing-secret-0123456789";
process.env.WEBHOOK_SECRET = WEBHOOK_SECRET;

const RUNS = 20;
const db = testDb();
const events = recordEvents();
let routes: LoadedRoute[];
let viewer: SignedInUser;
let admin: SignedInUser;
let fx: Fixtures;
const stats = { requests: 0, ok: 0, refused: 0, byStatus: {} as Record<number, number> };

beforeAll(async () => {
  await resetDb(db);
  viewer = await signInAs(db, "viewer");
  admin = await signInAs(db, "admin");
  routes = await routesOnDisk();
  fx = await makeActionFixtures(db);
  // The app logs what it cannot handle; the statuses below say whether that happened.
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterAll(() => {
  vi.restoreAllMocks();
  events.restore();
  console.info(`[fault] bad input, routes: ${JSON.stringify(stats)}`);
});

type Call = { path?: string; params?: Record<string, string>; query?: string; body?: string; contentType?: string };

/** Sends `call` (overriding the entry's valid request) with the credentials the route accepts. */
async function send(entry: RouteEntry, call: Call): Promise<{ status: number; body: string }> {
  const valid = entry.request!(fx);
  const spec = { ...valid, ...call };
  const headers: Record<string, string> = {
    "content-type": spec.contentType ?? "application/json",
    "x-forwarded-for": `192.0.2.${Math.floor(Math.random() * 250) + 1}`,
    authorization: `Bearer ${fx.apiKey.key}`,
  };
  if (entry.auth === "webhook-signature" && spec.body !== undefined) headers["x-stepwise-signature"] = signWebhook(spec.body, WEBHOOK_SECRET, { method: entry.method, path: `${spec.path}${spec.query ?? ""}` });
  const cookie = entry.auth === "session" ? viewer.cookie : entry.auth === "admin-session" ? admin.cookie : null;
  if (cookie) headers.cookie = cookie;
  actAs(cookie, headers["x-forwarded-for"]);
  const handler = routes.find((r) => r.route === entry.route && r.method === entry.method)!.handler;
  const request = new Request(`http://localhost:3000${spec.path}${spec.query ?? ""}`, { method: entry.method, headers, body: spec.body });
  const response = await handler(request, { params: Promise.resolve(spec.params ?? {}) });
  // Read it all: a download that fails half-way is a 500 in disguise.
  const body = await response.text();
  return { status: response.status, body };
}

/** Checks one hostile request: no 5xx, an error body for a 4xx, and no write when refused. */
async function expectHandled(entry: RouteEntry, call: Call) {
  const before = await dataFingerprint(db);
  const { status, body } = await send(entry, call);
  stats.requests++;
  stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
  expect(status, `${entry.method} ${entry.route} answered ${status}: ${body.slice(0, 200)}`).toBeLessThan(500);
  if (status >= 400) {
    stats.refused++;
    expect(JSON.parse(body)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    expect(await dataFingerprint(db)).toEqual(before);
  } else stats.ok++;
}

// The tracking routes answer people (a page, an image), not JSON: tracking-routes.test.ts has their hostile tokens.
const withId = ROUTE_CATALOG.filter((e) => e.request && e.auth !== "tracking-token" && /\[(id|token)\]/.test(e.route));
const validJson = (entry: RouteEntry) => JSON.parse(entry.request!(fx).body!) as unknown;

describe.each(ROUTE_CATALOG.filter((e) => e.body === "json"))("$method $route: hostile JSON bodies", (entry) => {
  it(`${RUNS} mutated bodies: a 2xx or a 4xx, never a 500 or a partial write`, async () => {
    await fc.assert(
      fc.asyncProperty(mutationsOf(validJson(entry), hostileJsonValue), async (body) => {
        await expectHandled(entry, { body: JSON.stringify(body) });
      }),
      { numRuns: RUNS },
    );
  });

  it("every text field with a NUL byte or a lone surrogate: a 4xx, not a database error", async () => {
    const valid = validJson(entry);
    for (const path of stringPaths(valid)) {
      for (const text of UNSTORABLE) await expectHandled(entry, { body: JSON.stringify(setPath(valid, path, text)) });
    }
  });

  it("bodies that are not what was asked for: not JSON, empty, huge, the wrong shape", async () => {
    const raw = ["", "{", "null", "[]", '"text"', "1e999", "{\"a\":".repeat(5_000), JSON.stringify({ x: "y".repeat(6_000_000) }), "\u0000", "<xml/>", "List-Unsubscribe=One-Click"];
    for (const body of raw) await expectHandled(entry, { body });
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileString, hostileJsonValue.map((v) => JSON.stringify(v) ?? "")), async (body) => {
        await expectHandled(entry, { body });
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });
});

describe.each(withId)("$method $route: hostile ids and tokens in the URL", (entry) => {
  it(`${RUNS} hostile path parameters: a 4xx, never a 500`, async () => {
    const name = entry.route.includes("[token]") ? "token" : "id";
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileString, fc.constantFrom("\u0000", "a\u0000b", "00000000-0000-0000-0000-000000000000", fx.active.id)).filter(decodableFromUrl), async (value) => {
        const valid = entry.request!(fx);
        // Handlers read the decoded parameter; Next hands it over as given (a %00 in the URL arrives as a NUL).
        await expectHandled(entry, { params: { ...valid.params, [name]: value }, path: `/api/x/param` });
      }),
      { numRuns: RUNS },
    );
  });
});

describe("query strings", () => {
  const exportRoute = ROUTE_CATALOG.find((e) => e.route === "/api/contacts/export")!;
  const statsRoute = ROUTE_CATALOG.find((e) => e.route === "/api/sequences/[id]/stats")!;

  it(`GET /api/contacts/export: ${RUNS} hostile filters give a 400 or a complete CSV, never a 500 or a broken download`, async () => {
    const keys = ["q", "tag", "status", "sequence", "scoreMin", "scoreMax", "sort", "dir", "page", "after", "before"];
    // A list position (after/before) is base64url JSON: hostile content inside a well-formed envelope too.
    const encodedCursor = fc
      .tuple(fc.constantFrom("created", "email", "name", "score", "x"), hostileJsonValue, fc.oneof(fc.constant(fx.contact.id), hostileString))
      .map((cursor) => Buffer.from(JSON.stringify(cursor)).toString("base64url"));
    const query = fc.dictionary(fc.constantFrom(...keys), fc.oneof(hostileString, fc.constantFrom(...UNSTORABLE), encodedCursor), { minKeys: 1, maxKeys: 4 });
    await fc.assert(
      fc.asyncProperty(query, async (params) => {
        await expectHandled(exportRoute, { query: `?${new URLSearchParams(params).toString()}` });
      }),
      { numRuns: RUNS },
    );
    for (const text of UNSTORABLE) await expectHandled(exportRoute, { query: `?${new URLSearchParams({ q: text }).toString()}` });
  });

  it(`GET /api/activity/export: ${RUNS} hostile filters give a 400 or a complete CSV, never a 500 or a broken download`, async () => {
    const activityExport = ROUTE_CATALOG.find((e) => e.route === "/api/activity/export")!;
    const keys = ["q", "sequence", "contact", "type", "from", "to", "before", "after"];
    const query = fc.dictionary(fc.constantFrom(...keys), fc.oneof(hostileString, fc.constantFrom(...UNSTORABLE, "2026-02-30", "9999-12-31", "0000-01-01")), { minKeys: 1, maxKeys: 4 });
    await fc.assert(
      fc.asyncProperty(query, async (params) => {
        await expectHandled(activityExport, { query: `?${new URLSearchParams(params).toString()}` });
      }),
      { numRuns: RUNS },
    );
    for (const text of UNSTORABLE) await expectHandled(activityExport, { query: `?${new URLSearchParams({ q: text }).toString()}` });
    await expectHandled(activityExport, { query: "?from=2026-03-02&to=2026-03-01" });
  });

  it(`GET /api/audit/export: ${RUNS} hostile filters give a 400 or a complete CSV, never a 500 or a broken download`, async () => {
    const auditExport = ROUTE_CATALOG.find((e) => e.route === "/api/audit/export")!;
    const keys = ["actor", "action", "object", "objectId", "from", "to", "before", "after"];
    const query = fc.dictionary(fc.constantFrom(...keys), fc.oneof(hostileString, fc.constantFrom(...UNSTORABLE, "2026-02-30", "sequence.pause", "sequence")), { minKeys: 1, maxKeys: 4 });
    await fc.assert(
      fc.asyncProperty(query, async (params) => {
        await expectHandled(auditExport, { query: `?${new URLSearchParams(params).toString()}` });
      }),
      { numRuns: RUNS },
    );
    await expectHandled(auditExport, { query: "?from=2026-03-02&to=2026-03-01" });
  });

  it("the webhooks' ?provider= and the stats route's query: hostile values are a 4xx or ignored", async () => {
    for (const entry of ROUTE_CATALOG.filter((e) => e.auth === "webhook-signature")) {
      await fc.assert(
        fc.asyncProperty(hostileString, async (provider) => {
          await expectHandled(entry, { query: `?${new URLSearchParams({ provider }).toString()}` });
        }),
        { numRuns: Math.ceil(RUNS / 4) },
      );
    }
    await expectHandled(statsRoute, { query: "?from=%00&to=\u202E" });
  });
});

describe("webhook payloads from each provider", () => {
  const replies = ROUTE_CATALOG.find((e) => e.route === "/api/webhooks/replies")!;
  const bounces = ROUTE_CATALOG.find((e) => e.route === "/api/webhooks/bounces")!;
  const postmarkReply = () => ({
    From: `Ada <${fx.enrolled.email}>`,
    FromFull: { Email: fx.enrolled.email },
    To: "hello@stepwise.local",
    Subject: "Re: hello",
    MessageID: "abc",
    Headers: [{ Name: "In-Reply-To", Value: "<x.y@localhost>" }],
  });
  const postmarkBounce = () => ({ Type: "HardBounce", Email: fx.contact.email, Description: "gone", Details: "550" });
  const genericReply = () => ({ from: fx.enrolled.email, subject: "Re: hi", inReplyTo: "<a.b@localhost>", headers: { References: "<a.b@localhost>" } });

  it.each([
    ["replies, generic", replies, "", genericReply],
    ["replies, postmark", replies, "?provider=postmark", postmarkReply],
    ["bounces, postmark", bounces, "?provider=postmark", postmarkBounce],
  ] as const)(`%s: ${RUNS} mutated payloads and every text field made unstorable`, async (_label, entry, query, payload) => {
    await fc.assert(
      fc.asyncProperty(mutationsOf(payload(), hostileJsonValue), async (body) => {
        await expectHandled(entry, { query, body: JSON.stringify(body) });
      }),
      { numRuns: RUNS },
    );
    const valid = payload();
    for (const path of stringPaths(valid)) {
      for (const text of UNSTORABLE) await expectHandled(entry, { query, body: JSON.stringify(setPath(valid, path, text)) });
    }
  });
});

describe("stored hostile text renders escaped", () => {
  it("every contact the hostile requests above managed to store renders escaped in an email", async () => {
    const contacts = await db.contact.findMany({ select: { email: true, firstName: true, lastName: true, attributes: true } });
    expect(contacts.length).toBeGreaterThan(0);
    for (const contact of contacts) expectRendersEscaped(contact);
  });
});
