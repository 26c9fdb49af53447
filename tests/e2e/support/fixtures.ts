import { test as base, expect, type Page } from "@playwright/test";
import { createPrismaClient, type Db } from "../../../lib/db/prisma";

export const USERS = {
  admin: { email: "admin@stepwise.local", password: "stepwise-demo" },
  marketer: { email: "marketer@stepwise.local", password: "stepwise-demo" },
  viewer: { email: "viewer@stepwise.local", password: "stepwise-demo" },
} as const;
export type UserRole = keyof typeof USERS;

export const storageStateFor = (role: UserRole) => `.reports/auth/${role}.json`;

let db: Db | undefined;
/** The app's database, for arranging and checking data around a journey. */
export function e2eDb(): Db {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL must be set (run the e2e tests through `npm run test:e2e`).");
  db ??= createPrismaClient(url, { poolSize: 3 });
  return db;
}

/** Moves the local executor's clock forward (sleeps end; the app keeps real time). */
export async function advanceExecutorClock(ms: number) {
  const port = process.env.E2E_CONTROL_PORT ?? "8391";
  const res = await fetch(`http://127.0.0.1:${port}/advance?ms=${ms}`, { method: "POST" });
  expect(res.ok).toBe(true);
}

export async function signIn(page: Page, role: UserRole) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(USERS[role].email);
  await page.getByLabel("Password").fill(USERS[role].password);
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

export { base as test, expect };
export const DAY = 86_400_000;
