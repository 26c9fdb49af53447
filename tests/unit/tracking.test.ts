import { describe, expect, it } from "vitest";
import { formatRate } from "../../components/analytics/format";
import { inertMailHtml } from "../../lib/mail/inert-links";
import { classifyRequest, SCANNER_WINDOW_MS } from "../../lib/tracking/classify";
import { addOpenPixel, MAX_TRACKED_LINKS, rewriteLinks, trackableUrl } from "../../lib/tracking/rewrite-links";
import { createClickToken, createOpenToken, verifyClickToken, verifyOpenToken } from "../../lib/tracking/token";
import { ZAnalyticsRange } from "../../lib/validations/analytics";

const secret = "unit-tracking-secret-0123456789";
const sendId = "3f1c2a9e-1b2c-4d5e-8f90-123456789abc";

describe("tracking tokens", () => {
  it("a click token verifies to its send and index, in the canonical spelling only", () => {
    const token = createClickToken({ sendId, index: 3 }, { secret });
    expect(verifyClickToken(token, { secret })).toEqual({ sendId, index: 3 });
    expect(verifyClickToken(token, { secret: "another-secret-0123456789abcdef" })).toBeNull();
    expect(verifyClickToken(token.replace(".3.", ".4."), { secret })).toBeNull();
    expect(verifyClickToken(token.replace(".3.", ".03."), { secret })).toBeNull();
    expect(verifyClickToken(`${token}x`, { secret })).toBeNull();
    expect(verifyClickToken(token.toUpperCase(), { secret })).toBeNull();
    const last = token.at(-1)!;
    // base64url's last character carries spare bits: a changed one may decode to the same bytes, and must still fail.
    for (const other of ["A", "B", "C", "D", "E", "F"].filter((c) => c !== last)) expect(verifyClickToken(`${token.slice(0, -1)}${other}`, { secret })).toBeNull();
    expect(verifyClickToken(undefined, { secret })).toBeNull();
  });

  it("an open token is not a click token and the other way round", () => {
    const open = createOpenToken(sendId, { secret });
    expect(verifyOpenToken(open, { secret })).toBe(sendId);
    expect(verifyClickToken(open, { secret })).toBeNull();
    expect(verifyOpenToken(createClickToken({ sendId, index: 0 }, { secret }), { secret })).toBeNull();
  });
});

describe("machine traffic", () => {
  const sentAt = new Date("2026-06-01T09:00:00Z");
  const base = { method: "GET", userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/138.0 Safari/537.36", ip: "198.51.100.4", sentAt };
  const later = new Date(sentAt.getTime() + 3_600_000);

  it.each([
    [{ ...base, kind: "click" as const, now: later }, null],
    [{ ...base, kind: "open" as const, now: later }, null],
    [{ ...base, kind: "click" as const, method: "HEAD", now: later }, "head_request"],
    [{ ...base, kind: "click" as const, userAgent: null, now: later }, "no_user_agent"],
    [{ ...base, kind: "click" as const, userAgent: "Mozilla/5.0 (compatible; Googlebot/2.1)", now: later }, "bot_user_agent"],
    [{ ...base, kind: "click" as const, userAgent: "Proofpoint URL Defense", now: later }, "bot_user_agent"],
    [{ ...base, kind: "open" as const, userAgent: "Mozilla/5.0", now: later }, "apple_privacy_proxy"],
    [{ ...base, kind: "open" as const, ip: "17.58.101.2", now: later }, "apple_privacy_proxy"],
    [{ ...base, kind: "click" as const, now: new Date(sentAt.getTime() + SCANNER_WINDOW_MS - 1) }, "too_fast"],
    [{ ...base, kind: "click" as const, now: new Date(sentAt.getTime() + SCANNER_WINDOW_MS) }, null],
    // An open right after delivery is a person who was watching the inbox as often as not: only clicks are timed.
    [{ ...base, kind: "open" as const, now: new Date(sentAt.getTime() + 1_000) }, null],
  ])("%o → %s", (input, reason) => {
    expect(classifyRequest(input).reason).toBe(reason);
  });
});

describe("the link rewrite", () => {
  const appUrl = "https://mail.example.net";

  it("rewrites http(s) links in order, decodes entities for the stored URL, keeps the rest of the tag", () => {
    const html = `<a class="btn" href="https://a.example/x?y=1&amp;z=2" target="_blank">A</a><A HREF='http://b.example/'>B</A><a href=https://c.example/c>C</a>`;
    const { html: out, links } = rewriteLinks(html, { appUrl, sendId, secret });
    expect(links).toEqual(["https://a.example/x?y=1&z=2", "http://b.example/", "https://c.example/c"]);
    expect(out).toContain(`class="btn" href="${appUrl}/r/${createClickToken({ sendId, index: 0 }, { secret })}" target="_blank"`);
    expect(out).toContain(`HREF="${appUrl}/r/${createClickToken({ sendId, index: 1 }, { secret })}"`);
    expect(out).not.toMatch(/a\.example|b\.example|c\.example/);
  });

  it("leaves mailto:, tel:, anchors, relative and javascript: links, links to keep, and anchors without href alone", () => {
    const html = `<a href="mailto:x@y.z">m</a><a href="tel:+1">t</a><a href="#x">h</a><a href="/rel">r</a><a href="javascript:alert(1)">j</a><a name="n">n</a><a href="${appUrl}/unsubscribe/tok">u</a>`;
    const { html: out, links } = rewriteLinks(html, { appUrl, sendId, secret, keep: [`${appUrl}/unsubscribe/`] });
    expect(links).toEqual([]);
    expect(out).toBe(html);
  });

  it(`tracks at most ${MAX_TRACKED_LINKS} links`, () => {
    const html = Array.from({ length: MAX_TRACKED_LINKS + 5 }, (_, i) => `<a href="https://e.example/${i}">${i}</a>`).join("");
    const { html: out, links } = rewriteLinks(html, { appUrl, sendId, secret });
    expect(links).toHaveLength(MAX_TRACKED_LINKS);
    expect(out).toContain(`href="https://e.example/${MAX_TRACKED_LINKS}"`);
  });

  it("stays linear on hostile markup (many unclosed anchors)", () => {
    const started = performance.now();
    rewriteLinks("<a ".repeat(100_000), { appUrl: `${appUrl}${"/".repeat(50_000)}`, sendId, secret });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("trackableUrl accepts absolute http(s) only", () => {
    expect(trackableUrl("https://x.example/a b")).toBe("https://x.example/a b");
    expect(trackableUrl("//x.example")).toBeNull();
    expect(trackableUrl("https://")).toBeNull();
    expect(trackableUrl("data:text/html,x")).toBeNull();
  });

  it("the admin's Sent mail view makes tracked links inert (a click there would count as the contact's)", () => {
    const { html } = rewriteLinks(`<a href="https://a.example/">A</a> <a href="https://b.example/x">B</a>`, { appUrl, sendId, secret });
    const inert = inertMailHtml(html);
    expect(inert).not.toContain("/r/");
    expect(inert.match(/aria-disabled="true"/g)).toHaveLength(2);
    expect(inertMailHtml('<a href="https://a.example/r/x">x</a>')).toContain('href="https://a.example/r/x"');
    // The open pixel goes too: the preview must not load it (an admin is not the contact), nor trip its policy.
    const withPixel = inertMailHtml(addOpenPixel("<html><body>x</body></html>", { appUrl, sendId, secret }));
    expect(withPixel).not.toContain("/o/");
    expect(withPixel).toContain("data-open-pixel-removed");
  });

  it("puts the pixel before </body>, or at the end", () => {
    expect(addOpenPixel("<html><body>x</body></html>", { appUrl, sendId, secret })).toMatch(new RegExp(`x<table role="presentation" width="1" height="1" background="${appUrl}/o/${sendId}\\.[^"]+"[^>]*><tr><td></td></tr></table>\\n</body></html>$`));
    expect(addOpenPixel("x", { appUrl, sendId, secret })).toMatch(/^x<table /);
  });
});

describe("analytics inputs and formats", () => {
  it("the date range keeps real days, drops the rest and orders a reversed range", () => {
    expect(ZAnalyticsRange.parse({ from: "2026-02-30", to: "2026-03-01" })).toEqual({ from: undefined, to: "2026-03-01" });
    expect(ZAnalyticsRange.parse({ from: "2026-03-05", to: "2026-03-01" })).toEqual({ from: "2026-03-01", to: "2026-03-05" });
    expect(ZAnalyticsRange.parse({ from: "x", to: "\u0000" })).toEqual({ from: undefined, to: undefined });
  });

  it("rates read as percentages, and a dash when nothing was delivered", () => {
    expect([formatRate(null), formatRate(0), formatRate(0.0123), formatRate(0.5), formatRate(1)]).toEqual(["–", "0%", "1.2%", "50%", "100%"]);
  });
});
