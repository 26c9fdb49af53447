/**
 * Hostile tokens and requests on the public tracking routes (/r/<token>, a
 * tracked link; /o/<token>, the open pixel), property-based: whatever the
 * token, method, user agent or forwarded address, the answer is a 2xx, a 4xx
 * or a redirect to the URL stored for that very link at send time, never a
 * 500 and never a redirect anywhere else; a request whose token is not a
 * valid one writes nothing. And the send-time transform never stores a
 * link the click route could not safely redirect to.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { rewriteLinks, trackableUrl } from "../../lib/tracking/rewrite-links";
import { createClickToken, createOpenToken } from "../../lib/tracking/token";
import { makeActionFixtures, type Fixtures } from "../support/action-catalog";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { dataFingerprint } from "../support/fault-db";
import { decodableFromUrl, hostileString } from "../support/hostile";
import { testDatabaseUrl } from "../support/database-url";

process.env.DATABASE_URL = testDatabaseUrl();
process.env.STEPWISE_SIGNING_SECRET ??= "fault-suite-signing-secret-0123456789";

const RUNS = 60;
const STORED_URL = "https://example.com/welcome";
const db = testDb();
const events = recordEvents();
const click = await import("../../app/r/[token]/route");
const open = await import("../../app/o/[token]/route");
let fx: Fixtures;
const stats = { requests: 0, byStatus: {} as Record<number, number> };

beforeAll(async () => {
  await resetDb(db);
  fx = await makeActionFixtures(db);
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterAll(() => {
  vi.restoreAllMocks();
  events.restore();
  console.info(`[fault] tracking routes: ${JSON.stringify(stats)}`);
});

type Route = { GET: (request: Request, context: { params: Promise<{ token: string }> }) => Promise<Response> };

/** Hostile variations of a valid token: characters changed, cut, added, segments swapped or re-encoded. */
function mutatedToken(valid: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.tuple(fc.nat(valid.length - 1), fc.string({ minLength: 1, maxLength: 1, unit: "binary" })).map(([at, ch]) => `${valid.slice(0, at)}${ch}${valid.slice(at + 1)}`),
    fc.nat(valid.length - 1).map((at) => valid.slice(0, at)),
    hostileString.map((tail) => `${valid}${tail}`),
    hostileString.map((head) => `${head}${valid}`),
    fc.constantFrom(
      valid.toUpperCase(),
      valid.replace(".", ".."),
      valid.replaceAll(".", "%2E"),
      `${valid}=`,
      valid.replace(/\.0\./, ".00."),
      valid.replace(/\.0\./, ".-0."),
      valid.replace(/\.0\./, ".1e0."),
      valid.replace(/\.0\./, ".0x0."),
      valid.replace(/\.0\./, ". 0."),
    ),
  );
}

const urlLike = fc.constantFrom(
  "https://evil.example/",
  "//evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "http:evil.example",
  "%2F%2Fevil.example",
  "..%2F..%2Flogin",
  "00000000-0000-0000-0000-000000000000.0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
);

const request = fc.record({
  method: fc.constantFrom("GET", "HEAD"),
  userAgent: fc.option(fc.oneof(hostileString, fc.constantFrom("Mozilla/5.0", "curl/8.0", "Googlebot/2.1")), { nil: null }),
  forwardedFor: fc.option(fc.oneof(hostileString, fc.constantFrom("17.0.0.1", "::ffff:17.1.2.3", "203.0.113.9, 17.0.0.1", "999.1.1.1")), { nil: null }),
});

async function call(route: Route, token: string, init: { method: string; userAgent: string | null; forwardedFor: string | null }) {
  const headers = new Headers();
  // Headers refuse what HTTP cannot carry (CR, LF, NUL, non-Latin-1): such a request never reaches a handler.
  const set = (name: string, value: string | null) => {
    try {
      if (value !== null) headers.set(name, value);
    } catch {
      /* not sendable */
    }
  };
  set("user-agent", init.userAgent);
  set("x-forwarded-for", init.forwardedFor);
  // Handlers read the decoded parameter, as Next hands it over.
  const response = await route.GET(new Request("http://localhost:3000/t/param", { method: init.method, headers }), { params: Promise.resolve({ token }) });
  const body = await response.text();
  stats.requests++;
  stats.byStatus[response.status] = (stats.byStatus[response.status] ?? 0) + 1;
  return { status: response.status, location: response.headers.get("location"), body };
}

describe.each([
  { name: "/r/[token] (click)", route: () => click as Route, valid: () => fx.clickToken, invalidStatus: 404 },
  { name: "/o/[token] (open pixel)", route: () => open as Route, valid: () => fx.openToken, invalidStatus: 404 },
])("$name", ({ route, valid, invalidStatus }) => {
  it(`${RUNS} hostile tokens with hostile headers: never a 500, never a redirect, nothing written`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileString, urlLike, mutatedToken(valid())).filter((t) => t !== valid() && decodableFromUrl(t)), request, async (token, init) => {
        const before = await dataFingerprint(db);
        const { status, location, body } = await call(route(), token, init);
        expect(status, `token ${JSON.stringify(token)}`).toBe(invalidStatus);
        expect(location).toBeNull();
        expect(body).not.toContain(token.length > 3 ? token : "\u0000never");
        expect(await dataFingerprint(db)).toEqual(before);
      }),
      { numRuns: RUNS },
    );
  });

  it("the valid token with hostile headers: a 2xx or a redirect to the stored URL only", async () => {
    await fc.assert(
      fc.asyncProperty(request, async (init) => {
        const { status, location } = await call(route(), valid(), init);
        expect(status).toBeLessThan(400);
        if (status >= 300) expect(location).toBe(STORED_URL);
        else expect(location).toBeNull();
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  });
});

describe("tokens signed for something else", () => {
  it("an open token on the click route, a click token on the pixel, another secret's or another link's: refused, nothing written", async () => {
    const sendId = fx.clickToken.split(".")[0];
    const before = await dataFingerprint(db);
    const plain = { method: "GET", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0", forwardedFor: "198.51.100.1" };
    for (const token of [fx.openToken, createClickToken({ sendId, index: 0 }, { secret: "another-secret-0123456789abcdef" }), createClickToken({ sendId, index: 1 })]) {
      expect(await call(click as Route, token, plain)).toMatchObject({ status: 404, location: null });
    }
    for (const token of [fx.clickToken, createOpenToken(sendId, { secret: "another-secret-0123456789abcdef" })]) {
      expect((await call(open as Route, token, plain)).status).toBe(404);
    }
    expect(await dataFingerprint(db)).toEqual(before);
  });
});

describe("the send-time transform", () => {
  it(`${RUNS} hostile hrefs: only absolute http(s) links are stored, and each one passes the click route's check`, () => {
    const href = fc.oneof(hostileString, urlLike, fc.webUrl(), fc.constantFrom("HTTPS://EXAMPLE.COM/x", " https://example.com/ ", "https://exa mple.com", "https://[::1", "http://"));
    fc.assert(
      fc.property(fc.array(fc.tuple(href, fc.constantFrom('"', "'", "")), { maxLength: 6 }), hostileString, (links, filler) => {
        const html = links.map(([value, quote]) => `<a href=${quote}${value}${quote}>x</a>${filler}`).join("");
        const { links: stored } = rewriteLinks(html, { appUrl: "http://localhost:3000", sendId: "00000000-0000-4000-8000-000000000000" });
        for (const url of stored) {
          expect(trackableUrl(url)).toBe(url);
          expect(new URL(url).protocol).toMatch(/^https?:$/);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
