import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeRedirectTarget } from "../../lib/security/redirect-target";

const ORIGIN = "https://app.example.com";
const HOME = `${ORIGIN}/sequences`;
const resolve = (target: unknown) => safeRedirectTarget(target, "/sequences", ORIGIN);

/** Pieces attackers combine into targets that a prefix check would let through. */
const pieces = fc.constantFrom(
  "/", "//", "\\", "/\\", "\\/", "///", "////", " ", "\t", "\n", "\r", "\u0000", "\u001F", "\u00A0", "\u2028", "\uFEFF",
  "%2F", "%5C", "%252F", "%25252F", "%09", "%0a", "%00", "%2e", "..", ".", "@", ":", "user:pass@", "evil.example", "evil.example:443",
  "xn--80ak6aa92e.com", "ехаmple.com", "аpp.example.com", "app.example.com.evil.example", "app.example.com@evil.example",
  "http:", "https:", "javascript:", "data:", "vbscript:", "file:", "mailto:", "HTTPS://", "http://", "https://evil.example",
  "//evil.example", "/\\evil.example", "\\\\evil.example", "/%09/evil.example", "?", "#", "&", "=", "contacts", "sequences/1",
);
const hostileTarget = fc.oneof(
  fc.array(pieces, { minLength: 1, maxLength: 8 }).map((parts) => parts.join("")),
  fc.tuple(fc.array(pieces, { maxLength: 3 }), fc.string({ maxLength: 20 })).map(([parts, tail]) => parts.join("") + tail),
  fc.string({ maxLength: 40 }),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
);

describe("safeRedirectTarget", () => {
  it("keeps targets on the app's origin", () => {
    expect(resolve("/contacts?status=subscribed#top")).toBe(`${ORIGIN}/contacts?status=subscribed#top`);
    expect(resolve(`${ORIGIN}/settings`)).toBe(`${ORIGIN}/settings`);
    expect(resolve("contacts")).toBe(`${ORIGIN}/contacts`);
  });

  it("sends every known open-redirect trick to the default page", () => {
    for (const target of [
      "//evil.example", "/\\evil.example", "\\/evil.example", "/\t/evil.example", "/\n/evil.example", " //evil.example",
      "https://evil.example", "HTTPS://evil.example/sequences", "javascript:alert(1)", "data:text/html,x",
      `${ORIGIN}@evil.example`, `https://user:pass@app.example.com/`, "http://app.example.com/", "https://app.example.com:8443/",
      "https://аpp.example.com/", "///evil.example", "\\\\evil.example", undefined, null, 42, "",
    ]) {
      expect(resolve(target), String(target)).toBe(HOME);
    }
  });

  it("never leaves the app's origin, whatever the target (property)", () => {
    fc.assert(
      fc.property(hostileTarget, (target) => {
        const result = resolve(target);
        const url = new URL(result);
        expect(url.origin).toBe(ORIGIN);
        expect(url.username + url.password).toBe("");
        // And the browser reads the answer the same way: it is absolute, never "//host".
        expect(new URL(result, "https://elsewhere.example").origin).toBe(ORIGIN);
      }),
      { numRuns: 5000 },
    );
  });
});
