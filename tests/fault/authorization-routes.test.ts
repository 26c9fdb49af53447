/**
 * Authorization matrix, route handlers: every method of every route under app/,
 * called signed out, as viewer, marketer and admin (real Auth.js sessions),
 * and with a missing, malformed, wrong, revoked or valid API key, a missing,
 * wrong or stale webhook signature, a forged unsubscribe token. Only the
 * credentials a route accepts succeed; every refusal writes nothing.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiKey, revokeApiKey } from "../../lib/api-keys/manage";
import { createUnsubscribeToken } from "../../lib/email/unsubscribe-token";
import { signWebhook } from "../../lib/security/webhook-signature";
import { makeActionFixtures, type Fixtures } from "../support/action-catalog";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { dataFingerprint } from "../support/fault-db";
import { actAs, signInAs, signInWithPassword, type SignedInUser } from "../support/fault-session";
import { ROUTE_CATALOG, routesOnDisk, type LoadedRoute, type RouteAuth, type RouteEntry } from "../support/route-catalog";
import { testDatabaseUrl } from "../support/database-url";

vi.mock("next/headers", async () => (await import("../support/fault-session")).nextHeadersMock);
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const WEBHOOK_SECRET = "fault-suite-webhook-secret-0123456789";
process.env.DATABASE_URL = testDatabaseUrl();
process.env.STEPWISE_SIGNING_SECRET ??= "fault-suite-signing-secret-0123456789";
process.env.WEBHOOK_SECRET = WEBHOOK_SECRET;

const db = testDb();
const events = recordEvents();
let users: Record<"viewer" | "marketer" | "admin", SignedInUser>;
let routes: LoadedRoute[];
let fx: Fixtures;
let revokedKey: string;
const calls = { allowed: 0, refused: 0 };

beforeAll(async () => {
  // Auth.js logs every forged or stale session it rejects; the assertions below check the rejections.
  vi.spyOn(console, "error").mockImplementation(() => {});
  await resetDb(db);
  users = { viewer: await signInAs(db, "viewer"), marketer: await signInAs(db, "marketer"), admin: await signInAs(db, "admin") };
  routes = await routesOnDisk();
  fx = await makeActionFixtures(db);
  const revoked = await createApiKey(db, { name: "Old integration" });
  await revokeApiKey(db, { id: revoked.apiKey.id });
  revokedKey = revoked.key;
});
afterAll(() => {
  vi.restoreAllMocks();
  events.restore();
  console.info(`[fault] route authorization matrix: ${routes.length} route methods, ${calls.allowed} allowed and ${calls.refused} refused calls checked`);
});

/** One way of calling: a session cookie, an Authorization header, a webhook signature, a token swap. */
type Credential = {
  name: string;
  session?: keyof typeof users;
  bearer?: (fx: Fixtures) => string;
  signature?: "valid" | "wrong-secret" | "stale";
  /** Replaces the URL token (unsubscribe routes). */
  token?: (fx: Fixtures) => string;
};

const wellFormedWrongKey = () => `sw_live_${randomBytes(24).toString("base64url").slice(0, 32)}`;
const CREDENTIALS: Credential[] = [
  { name: "nothing" },
  { name: "viewer session", session: "viewer" },
  { name: "marketer session", session: "marketer" },
  { name: "admin session", session: "admin" },
  { name: "malformed API key", bearer: () => "Bearer not-a-key" },
  { name: "wrong API key", bearer: () => `Bearer ${wellFormedWrongKey()}` },
  { name: "revoked API key", bearer: () => `Bearer ${revokedKey}` },
  { name: "valid API key", bearer: (f) => `Bearer ${f.apiKey.key}` },
  { name: "admin session and a wrong API key", session: "admin", bearer: () => `Bearer ${wellFormedWrongKey()}` },
  { name: "webhook signature with another secret", signature: "wrong-secret" },
  { name: "stale webhook signature (10 minutes old)", signature: "stale" },
  { name: "valid webhook signature", signature: "valid" },
  { name: "forged unsubscribe token", token: (f) => createUnsubscribeToken({ contactId: f.contact.id }, { secret: "someone-elses-secret-0123456789" }) },
  { name: "expired unsubscribe token", token: (f) => createUnsubscribeToken({ contactId: f.contact.id }, { now: new Date(Date.now() - 2 * 365 * 86_400_000) }) },
];

/** Whether `credential` must get through a route that authenticates with `auth`. */
function allows(auth: RouteAuth, credential: Credential): boolean {
  switch (auth) {
    case "api-key":
      return credential.name === "valid API key";
    case "session":
      return credential.session !== undefined;
    case "admin-session":
      return credential.session === "admin";
    case "webhook-signature":
      return credential.signature === "valid";
    case "unsubscribe-token":
    case "tracking-token":
      return credential.token === undefined;
    case "public":
    case "inert":
      return true;
    default:
      throw new Error(`${auth} is tested on its own`);
  }
}

function buildRequest(entry: RouteEntry, fixtures: Fixtures, credential: Credential): { request: Request; params: Record<string, string> } {
  const spec = entry.request!(fixtures);
  let { path, params } = spec;
  if (credential.token && params.token) {
    const token = credential.token(fixtures);
    path = path.replace(params.token, token);
    params = { ...params, token };
  }
  const headers: Record<string, string> = { "content-type": spec.contentType ?? "application/json", "x-forwarded-for": `203.0.113.${Math.floor(Math.random() * 250) + 1}` };
  const cookie = credential.session ? users[credential.session].cookie : null;
  if (cookie) headers.cookie = cookie;
  if (credential.bearer) headers.authorization = credential.bearer(fixtures);
  if (credential.signature && spec.body !== undefined) {
    const at = Math.floor(Date.now() / 1000) - (credential.signature === "stale" ? 600 : 0);
    headers["x-stepwise-signature"] = signWebhook(spec.body, credential.signature === "wrong-secret" ? "another-secret-0123456789abcdef" : WEBHOOK_SECRET, { method: entry.method, path: `${path}${spec.query ?? ""}` }, at);
  }
  // Server code reads the session through next/headers, like in a real request.
  actAs(cookie, headers["x-forwarded-for"]);
  return { request: new Request(`http://localhost:3000${path}${spec.query ?? ""}`, { method: entry.method, headers, body: spec.body }), params };
}

function handlerOf(entry: RouteEntry) {
  const found = routes.find((r) => r.route === entry.route && r.method === entry.method);
  if (!found) throw new Error(`${entry.method} ${entry.route} is in the catalog but not on disk`);
  return found.handler;
}

describe("the catalog covers every route handler on disk", () => {
  it("every exported method of every route under app/ is in the matrix, and nothing else", () => {
    const onDisk = routes.map((r) => `${r.method} ${r.route}`).sort();
    expect(onDisk).toEqual(ROUTE_CATALOG.map((e) => `${e.method} ${e.route}`).sort());
  });
});

/** A signature needs a body to sign; a token swap needs a token in the URL. */
const applies = (entry: RouteEntry, credential: Credential) =>
  (!credential.signature || entry.body !== undefined) && (!credential.token || entry.route.includes("[token]"));

const matrixRoutes = ROUTE_CATALOG.filter((e) => e.request);
describe.each(matrixRoutes)("$method $route ($auth)", (entry) => {
  it.each(CREDENTIALS.filter((c) => applies(entry, c)).map((c) => [c.name, c] as const))("with %s", async (_name, credential) => {
    const allowed = allows(entry.auth, credential);
    const fixtures = allowed ? await makeActionFixtures(db) : fx;
    const { request, params } = buildRequest(entry, fixtures, credential);
    const before = await dataFingerprint(db);
    const response = await handlerOf(entry)(request, { params: Promise.resolve(params) });
    await response.text();
    if (allowed) {
      calls.allowed++;
      expect(entry.ok).toContain(response.status);
    } else {
      calls.refused++;
      expect(response.status, `${entry.method} ${entry.route} with ${credential.name}`).toBeOneOf(
        entry.auth === "unsubscribe-token" ? [400] : entry.auth === "tracking-token" ? [404] : [401, 403],
      );
      expect(await dataFingerprint(db)).toEqual(before);
    }
  });
});

describe("Auth.js (/api/auth/[...nextauth]) authorizes with the password", () => {
  it("a wrong password, an unknown email or a missing CSRF token gets no session; the right password does", async () => {
    expect(await signInWithPassword(users.admin.email, "wrong-password")).toBeNull();
    expect(await signInWithPassword("nobody@example.com", "whatever")).toBeNull();
    const { POST } = await import("../../app/api/auth/[...nextauth]/route");
    const { NextRequest } = await import("next/server");
    const noCsrf = await POST(
      new NextRequest("http://localhost:3000/api/auth/callback/credentials", {
        method: "POST",
        body: new URLSearchParams({ email: users.admin.email, password: "fault-suite-password" }),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      }),
    );
    expect(noCsrf.headers.getSetCookie().some((c) => c.startsWith("authjs.session-token="))).toBe(false);
    expect(await signInWithPassword(users.admin.email, "fault-suite-password")).toMatch(/^authjs\.session-token=/);
    calls.refused += 3;
    calls.allowed++;
  });

  it("GET /api/auth/session shows the session only to its owner", async () => {
    const { GET } = await import("../../app/api/auth/[...nextauth]/route");
    const { NextRequest } = await import("next/server");
    const session = async (cookie?: string) =>
      (await GET(new NextRequest("http://localhost:3000/api/auth/session", { headers: cookie ? { cookie } : {} }))).json();
    expect(await session()).toBeNull();
    expect(await session("authjs.session-token=forged")).toBeNull();
    expect(await session(users.viewer.cookie)).toMatchObject({ user: { email: users.viewer.email, role: "viewer" } });
  });
});

describe("Inngest (/api/inngest) outside dev mode", () => {
  it("refuses unsigned and wrongly signed requests on every method, whatever session or API key comes with them", async () => {
    const saved = { dev: process.env.INNGEST_DEV, key: process.env.INNGEST_SIGNING_KEY };
    // The Inngest client reads its mode when created: load a fresh copy of the route in cloud mode.
    vi.resetModules();
    delete process.env.INNGEST_DEV;
    process.env.INNGEST_SIGNING_KEY = `signkey-prod-${"ab".repeat(32)}`;
    try {
      const route = (await import("../../app/api/inngest/route")) as unknown as Record<string, (request: Request) => Promise<Response>>;
      const before = await dataFingerprint(db);
      for (const method of ["GET", "POST", "PUT"]) {
        const attempts: Record<string, string>[] = [
          {},
          { "x-inngest-signature": `t=${Math.floor(Date.now() / 1000)}&s=${"0".repeat(64)}` },
          { cookie: users.admin.cookie, authorization: `Bearer ${fx.apiKey.key}` },
        ];
        for (const headers of attempts) {
          const body = method === "GET" ? undefined : JSON.stringify(method === "PUT" ? { url: "http://localhost:3000/api/inngest" } : { event: { name: "inngest/scheduled.timer", data: {} }, steps: {}, ctx: { run_id: "r", attempt: 0 } });
          const query = method === "POST" ? "?fnId=stepwise-heal-overdue-enrollments&stepId=step" : "";
          const response = await route[method](
            new Request(`http://localhost:3000/api/inngest${query}`, { method, headers: { "content-type": "application/json", "x-inngest-sync-kind": "in_band", ...headers }, body }),
          );
          expect({ method, headers: Object.keys(headers), status: response.status }).toEqual({ method, headers: Object.keys(headers), status: 401 });
          calls.refused++;
        }
      }
      expect(await dataFingerprint(db)).toEqual(before);
    } finally {
      if (saved.dev === undefined) delete process.env.INNGEST_DEV;
      else process.env.INNGEST_DEV = saved.dev;
      if (saved.key === undefined) delete process.env.INNGEST_SIGNING_KEY;
      else process.env.INNGEST_SIGNING_KEY = saved.key;
    }
  });
});
