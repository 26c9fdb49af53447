import { describe, expect, it } from "vitest";
import { demoWanted, listenHost, localAddress, missingProductionSettings, productionReason, productionRefusal } from "../../scripts/lib/start-config";

const env = (values: Record<string, string>) => values as unknown as NodeJS.ProcessEnv;

describe("production mode", () => {
  it("is STEPWISE_ENV=production, or NODE_ENV=production with DATABASE_URL", () => {
    expect(productionReason(env({}))).toBeUndefined();
    expect(productionReason(env({ NODE_ENV: "production" }))).toBeUndefined();
    expect(productionReason(env({ NODE_ENV: "production", DATABASE_URL: "postgresql://x" }))).toBe("NODE_ENV=production with DATABASE_URL");
    expect(productionReason(env({ STEPWISE_ENV: "production" }))).toBe("STEPWISE_ENV=production");
  });

  it("lists every missing setting (blank counts as missing) in one message", () => {
    const missing = missingProductionSettings(env({ AUTH_SECRET: "x", APP_URL: "  " }));
    expect(missing).toEqual(["INNGEST_SIGNING_KEY", "INNGEST_EVENT_KEY", "STEPWISE_SIGNING_SECRET", "APP_URL"]);
    expect(productionRefusal("STEPWISE_ENV=production", missing)).toContain("INNGEST_SIGNING_KEY, INNGEST_EVENT_KEY, STEPWISE_SIGNING_SECRET, APP_URL are not set");
  });
});

describe("where the app listens", () => {
  it("is loopback unless HOST says otherwise", () => {
    expect(listenHost(env({}))).toBe("127.0.0.1");
    expect(listenHost(env({ HOST: "0.0.0.0" }))).toBe("0.0.0.0");
    expect(localAddress("0.0.0.0")).toBe("127.0.0.1");
    expect(localAddress("::1")).toBe("[::1]");
  });
});

describe("demo data", () => {
  it("follows STEPWISE_DEMO on any database; by default only on the embedded one outside production", () => {
    expect(demoWanted(env({}), true)).toBe(true);
    expect(demoWanted(env({}), false)).toBe(false);
    expect(demoWanted(env({ STEPWISE_DEMO: "0" }), true)).toBe(false);
    expect(demoWanted(env({ STEPWISE_DEMO: "1" }), false)).toBe(true);
    expect(demoWanted(env({ STEPWISE_ENV: "production" }), true)).toBe(false);
  });
});
