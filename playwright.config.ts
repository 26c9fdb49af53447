import fs from "node:fs";
import { defineConfig, devices } from "@playwright/test";

/**
 * End-to-end tests against the real app (`scripts/start.ts`: production
 * build, local Inngest executor, mail catcher) on a throwaway database that
 * scripts/test-e2e.ts starts and passes in as DATABASE_URL.
 */
const port = Number(process.env.E2E_PORT ?? 3107);
const baseURL = `http://localhost:${port}`;
const systemChromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p));

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [["list"], ["json", { outputFile: ".reports/playwright.json" }]] : [["list"], ["json", { outputFile: ".reports/playwright.json" }]],
  use: {
    baseURL,
    // Traces with DOM snapshots, kept on failure; without the screencast, which cost a sixth of Chromium's CPU.
    trace: { mode: "retain-on-failure", screenshots: false },
    screenshot: "only-on-failure",
    launchOptions: systemChromium
      ? {
          // Debian's Chromium where installed (CI, these machines); Playwright's own elsewhere.
          executablePath: systemChromium,
          args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        }
      : {},
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    { name: "chromium", use: { ...devices["Desktop Chrome"] }, dependencies: ["setup"], testIgnore: /auth\.setup\.ts/ },
  ],
  webServer: {
    command: `npx tsx scripts/start.ts${process.env.E2E_SKIP_BUILD ? " --no-build" : ""}`,
    url: `${baseURL}/login`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(port),
      APP_URL: baseURL,
      DATABASE_URL: process.env.DATABASE_URL ?? "",
      STEPWISE_DEMO: "1",
      STEPWISE_DATA_DIR: process.env.E2E_DATA_DIR ?? ".data/e2e",
      STEPWISE_EXECUTOR_PORT: process.env.E2E_EXECUTOR_PORT ?? "8390",
      STEPWISE_E2E_CONTROL_PORT: process.env.E2E_CONTROL_PORT ?? "8391",
      STEPWISE_E2E_CONTROL_KEY: process.env.E2E_CONTROL_KEY ?? "",
      WEBHOOK_SECRET: process.env.WEBHOOK_SECRET ?? "e2e-webhook-secret-0123456789",
    },
  },
});
