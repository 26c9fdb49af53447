import fs from "node:fs";
import path from "node:path";
import { test as base, expect, type Page } from "@playwright/test";
import { createPrismaClient, type Db } from "../../../lib/db/prisma";

export const USERS = {
  admin: { email: "admin@stepwise.local" },
  marketer: { email: "marketer@stepwise.local" },
  viewer: { email: "viewer@stepwise.local" },
} as const;
export type UserRole = keyof typeof USERS;

/**
 * The password `npm start` generated for a demo user, from the file it keeps
 * in the data directory (as a newcomer would find it).
 */
export function generatedPassword(email: string): string {
  const file = path.join(process.env.E2E_DATA_DIR ?? ".data/e2e", "initial-passwords.txt");
  const line = fs
    .readFileSync(file, "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${email}\t`));
  if (!line) throw new Error(`${file} has no password for ${email}`);
  return line.split("\t")[1];
}

export const storageStateFor = (role: UserRole) => `.reports/auth/${role}.json`;

let db: Db | undefined;
/** The app's database, for arranging and checking data around a journey. */
export function e2eDb(): Db {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL must be set (run the e2e tests through `npm run test:e2e`).");
  db ??= createPrismaClient(url, { poolSize: 3 });
  return db;
}

/** The executor's clock control answers only with the run's key (scripts/test-e2e.ts). */
function controlHeaders(): Record<string, string> {
  return { authorization: `Bearer ${process.env.E2E_CONTROL_KEY ?? ""}`, "content-type": "application/json" };
}

/** Moves the local executor's clock forward (sleeps end; the app keeps real time). */
export async function advanceExecutorClock(ms: number) {
  // The advance returns when every run has caught up, including the runs
  // earlier tests started (dozens after the bulk-tag journeys): room for that.
  test.info().setTimeout(test.info().timeout + 120_000);
  const port = process.env.E2E_CONTROL_PORT ?? "8391";
  const res = await fetch(`http://127.0.0.1:${port}/advance?ms=${ms}`, { method: "POST", headers: controlHeaders() });
  expect(res.ok).toBe(true);
}

export async function signIn(page: Page, role: UserRole) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(USERS[role].email);
  await page.getByLabel("Password").fill(generatedPassword(USERS[role].email));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/sequences/);
}

/**
 * Signs the tests of the current describe block (or file, at top level) in as
 * `role`, from the session the setup project saved.
 */
export function useRole(role: UserRole) {
  base.use({ storageState: storageStateFor(role) });
}

/**
 * Every test fails on a Content-Security-Policy violation reported in the
 * browser: Chromium's console message, and the page's own
 * securitypolicyviolation event (re-logged by an init script). A test that
 * provokes violations on purpose (a foreign page framing the app) sets
 * `allowCspViolations`.
 */
type Fixtures = { realTimeExecutorClock: void; cspGuard: void; allowCspViolations: boolean };

export const test = base.extend<Fixtures>({
  allowCspViolations: [false, { option: true }],
  cspGuard: [
    async ({ context, allowCspViolations }, use) => {
      const violations: string[] = [];
      await context.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (event) => {
          console.error(`[csp-violation] Content Security Policy: ${event.violatedDirective} blocked ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`);
        });
      });
      context.on("console", (message) => {
        if (message.text().includes("Content Security Policy")) violations.push(`${message.page()?.url() ?? "?"}: ${message.text()}`);
      });
      await use();
      if (!allowCspViolations) expect(violations, "CSP violations reported in the browser").toEqual([]);
    },
    { auto: true },
  ],
  /** Every test leaves the executor clock at real time for the next one. */
  realTimeExecutorClock: [
    async ({}, use) => {
      await use();
      const port = process.env.E2E_CONTROL_PORT ?? "8391";
      await fetch(`http://127.0.0.1:${port}/reset`, { method: "POST", headers: controlHeaders() });
    },
    { auto: true },
  ],
});

export { expect };
export const DAY = 86_400_000;

/** Creates a contact and enrolls them in the demo "Trial onboarding" sequence through the UI. */
export async function enrollThroughUi(page: Page, firstName: string) {
  const email = `${firstName.toLowerCase()}-${Date.now()}@example.com`;
  await e2eDb().contact.create({ data: { email, firstName } });
  // Searched for, as a user would: the other specs' sequences push it past the list's first page.
  await page.goto("/sequences?q=Trial%20onboarding");
  await page.getByRole("link", { name: "Trial onboarding" }).click();
  await page.getByLabel("Enroll a contact by email").fill(email);
  await page.getByRole("button", { name: "Enroll" }).click();
  await expect(page.locator("[data-toast]").filter({ hasText: `${email} enrolled.` })).toBeVisible();
  return email;
}

/** Waits for step 1 ("Welcome to Acme, <name>") on the Sent mail page and opens it. */
export async function openFirstStep(page: Page, email: string, firstName: string) {
  const subject = `Welcome to Acme, ${firstName}`;
  await expect(async () => {
    await page.goto(`/mail?q=${encodeURIComponent(email)}`);
    await expect(page.getByRole("link", { name: subject })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await page.getByRole("link", { name: subject }).click();
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
}
