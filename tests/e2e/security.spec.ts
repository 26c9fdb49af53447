/**
 * Web security as a browser and a client see it: headers on every page and
 * route (generated from the files on disk), no framing by other origins,
 * no open redirect after sign-in, a spoofed X-Forwarded-For bypasses no
 * limit, and sent mail in the admin shows no live unsubscribe link.
 */
import fs from "node:fs";
import path from "node:path";
import { request as playwrightRequest, type APIResponse } from "@playwright/test";
import { enrollThroughUi, expect, generatedPassword, openFirstStep, storageStateFor, test, USERS, useRole } from "./support/fixtures";

const SAMPLE_ID = "00000000-0000-4000-8000-000000000000";

/** Every page and route handler under app/, as a URL to request. */
function urlsOnDisk(): { url: string; kind: "page" | "route" }[] {
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  return walk("app")
    .filter((file) => /\/(page|route)\.(tsx|ts)$/.test(file))
    .map((file) => {
      const segments = path.relative("app", path.dirname(file)).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s));
      const url = `/${segments.map((s) => (s === "[...nextauth]" ? "session" : s.startsWith("[") ? SAMPLE_ID : s)).join("/")}`;
      return { url, kind: file.includes("/route.") ? ("route" as const) : ("page" as const) };
    });
}

function expectSecurityHeaders(response: APIResponse, url: string) {
  const h = response.headers();
  const csp = h["content-security-policy"] ?? "";
  const where = `${url} (${response.status()})`;
  expect(csp, where).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
  expect(csp, where).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
  for (const directive of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'self'"]) expect(csp, where).toContain(directive);
  expect(h["x-frame-options"], where).toBe("DENY");
  expect(h["x-content-type-options"], where).toBe("nosniff");
  expect(h["permissions-policy"], where).toContain("camera=()");
  const tokenInUrl = /^\/(api\/)?unsubscribe\/|^\/signup\/confirm\/|^\/[ro]\//.test(url);
  expect(h["referrer-policy"], where).toBe(tokenInUrl ? "no-referrer" : "strict-origin-when-cross-origin");
}

test.describe("security headers", () => {
  const urls = urlsOnDisk();

  test("the file walk finds the app's pages and routes", () => {
    expect(urls.filter((u) => u.kind === "page").length).toBeGreaterThan(8);
    expect(urls.map((u) => u.url)).toEqual(expect.arrayContaining(["/login", "/api/signup", `/unsubscribe/${SAMPLE_ID}`, `/api/v1/contacts/${SAMPLE_ID}`]));
  });

  for (const signedIn of [false, true]) {
    test(`every page and route answers with them (${signedIn ? "signed in" : "signed out"})`, async ({ baseURL }) => {
      const context = await playwrightRequest.newContext({ baseURL, storageState: signedIn ? storageStateFor("viewer") : undefined });
      for (const { url } of urls) expectSecurityHeaders(await context.get(url, { maxRedirects: 0 }), url);
      // Static files too.
      const html = await (await context.get("/login")).text();
      const asset = /\/_next\/static\/[^"']+\.(js|css)/.exec(html)?.[0];
      expect(asset).toBeTruthy();
      expectSecurityHeaders(await context.get(asset!), asset!);
      await context.dispose();
    });
  }

  test("each response has its own nonce, and the page's scripts carry it", async ({ page }) => {
    const first = await page.goto("/login");
    const second = await page.request.get("/login");
    const nonceOf = (csp: string | undefined) => /'nonce-([^']+)'/.exec(csp ?? "")?.[1];
    const nonce = nonceOf(first!.headers()["content-security-policy"]);
    expect(nonce).toBeTruthy();
    expect(nonceOf(second.headers()["content-security-policy"])).not.toBe(nonce);
    // The sign-in form works (its scripts ran under the policy; the fixture fails on any violation).
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  });
});

test.describe("framing by another origin", () => {
  test.use({ allowCspViolations: true });

  test("a page on another origin cannot frame the admin, login or unsubscribe pages", async ({ page, baseURL }) => {
    const targets = ["/login", "/sequences", `/unsubscribe/${SAMPLE_ID}`];
    await page.route("http://attacker.test/", (route) =>
      route.fulfill({ contentType: "text/html", body: targets.map((t) => `<iframe src="${baseURL}${t}" width="400" height="300"></iframe>`).join("") }),
    );
    await page.goto("http://attacker.test/");
    await page.waitForTimeout(2000);
    const frames = page.frames().filter((f) => f !== page.mainFrame());
    expect(frames).toHaveLength(targets.length);
    for (const frame of frames) {
      const text = await frame.evaluate(() => document.body?.innerText ?? "").catch(() => "");
      expect(text).not.toMatch(/Sign in|Unsubscribe|Sequences|Stepwise/);
      expect(frame.url().startsWith(baseURL!)).toBe(false);
    }
  });
});

test.describe("sign-in redirects", () => {
  const offsite = ["//evil.example/x", "/\\evil.example", "https://evil.example/", "/\t/evil.example", "javascript:alert(1)", "\\\\evil.example", "/%5C%5Cevil.example"];

  for (const callbackUrl of offsite) {
    test(`callbackUrl ${JSON.stringify(callbackUrl)} ends on this site`, async ({ page, baseURL }) => {
      await page.context().route((url) => url.hostname.endsWith("evil.example"), (route) => route.abort());
      await page.goto(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
      await page.getByLabel("Email").fill(USERS.viewer.email);
      await page.getByLabel("Password").fill(generatedPassword(USERS.viewer.email));
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => !url.pathname.startsWith("/login"));
      expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
    });
  }

  test("a same-site callbackUrl is followed", async ({ page }) => {
    await page.goto(`/login?callbackUrl=${encodeURIComponent("/contacts?status=subscribed")}`);
    await page.getByLabel("Email").fill(USERS.viewer.email);
    await page.getByLabel("Password").fill(generatedPassword(USERS.viewer.email));
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/contacts\?status=subscribed$/);
  });
});

test("a different X-Forwarded-For on every signup bypasses no rate limit", async ({ request }) => {
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) {
    const response = await request.post("/api/signup", {
      headers: { "content-type": "application/json", "x-forwarded-for": `10.0.1.${i}`, "x-real-ip": `10.0.2.${i}` },
      data: JSON.stringify({ email: `spoof-${Date.now()}-${i}@example.com` }),
    });
    statuses.push(response.status());
  }
  expect(statuses.slice(0, 10).every((s) => s === 202)).toBe(true);
  expect(statuses[10]).toBe(429);
});

test.describe("sent mail in the admin", () => {
  useRole("marketer");

  test("shows no live unsubscribe link, and the sandboxed preview still renders", async ({ page }) => {
    const email = await enrollThroughUi(page, "Inert");
    await openFirstStep(page, email, "Inert");
    expect(await page.content()).not.toMatch(/unsubscribe\/[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{43}/);
    await expect(page.getByTestId("inert-unsubscribe-note")).toBeVisible();
    const preview = page.frameLocator('iframe[title="Rendered message"]');
    await expect(preview.getByText("Unsubscribe")).toBeVisible();
    await expect(preview.getByText("Unsubscribe")).not.toHaveAttribute("href", /.*/);
    await expect(preview.locator("body")).toContainText("Inert");
  });
});
