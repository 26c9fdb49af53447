import { describe, expect, it } from "vitest";
import { DEFAULT_SERVER_HEAP_MB, demoWanted, listenHost, localAddress, missingProductionSettings, productionReason, productionRefusal, serverNodeOptions } from "../../scripts/lib/start-config";

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

describe("the Next.js server's heap budget", () => {
  it("is 1 GB by default, STEPWISE_SERVER_HEAP_MB when set, added to the operator's NODE_OPTIONS unless they hold a budget", () => {
    expect(DEFAULT_SERVER_HEAP_MB).toBe(1024);
    expect(serverNodeOptions(env({}))).toBe("--max-old-space-size=1024");
    expect(serverNodeOptions(env({ STEPWISE_SERVER_HEAP_MB: " 2048 " }))).toBe("--max-old-space-size=2048");
    expect(serverNodeOptions(env({ NODE_OPTIONS: "--enable-source-maps" }))).toBe("--enable-source-maps --max-old-space-size=1024");
    expect(serverNodeOptions(env({ NODE_OPTIONS: "--enable-source-maps --max-old-space-size=3072", STEPWISE_SERVER_HEAP_MB: "512" }))).toBe(
      "--enable-source-maps --max-old-space-size=3072",
    );
    // Another flag that merely starts the same way is not a budget.
    expect(serverNodeOptions(env({ NODE_OPTIONS: "--max-semi-space-size=64" }))).toBe("--max-semi-space-size=64 --max-old-space-size=1024");
  });

  it("refuses a value that is not a whole number of megabytes, or under 256, naming the setting", () => {
    for (const bad of ["1g", "1.5", "-1", "100", "lots"]) {
      expect(() => serverNodeOptions(env({ STEPWISE_SERVER_HEAP_MB: bad }))).toThrow(`STEPWISE_SERVER_HEAP_MB must be a whole number of megabytes, at least 256 (it is "${bad}")`);
    }
  });
});
