import { CallbackRouteError, CredentialsSignin } from "@auth/core/errors";
import { afterEach, describe, expect, it, vi } from "vitest";
import { authConfig, trustHostFrom } from "../../lib/auth/config";

// The logger lib/auth/index.ts gives NextAuth (without one, Auth.js prints its own multi-line stacks).
const authLog = authConfig.logger;

function captureConsole() {
  const lines: string[] = [];
  const spies = (["log", "info", "warn", "error", "debug"] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" "))),
  );
  return { lines, restore: () => spies.forEach((s) => s.mockRestore()) };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("Auth.js logging", () => {
  it("a refused sign-in is one info line, with no stack", () => {
    const out = captureConsole();
    try {
      authLog?.error?.(new CredentialsSignin());
    } finally {
      out.restore();
    }
    expect(out.lines).toEqual(["[auth] sign-in refused: wrong email or password"]);
  });

  it("a real failure is one error line naming its cause; the stack only at LOG_LEVEL=debug", () => {
    // As Auth.js wraps an exception thrown by `authorize` (its cause is { err }).
    const error = new CallbackRouteError(new Error("Can't reach database server\nat somewhere") as unknown as string);
    let out = captureConsole();
    try {
      authLog?.error?.(error);
    } finally {
      out.restore();
    }
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).toMatch(/^\[auth\] CallbackRouteError: .*\(cause: Can't reach database server\)$/);

    vi.stubEnv("LOG_LEVEL", "debug");
    out = captureConsole();
    try {
      authLog?.error?.(error);
    } finally {
      out.restore();
    }
    expect(out.lines.length).toBeGreaterThan(1);
  });
});

describe("trusting the Host / X-Forwarded-Host headers", () => {
  const production = { NODE_ENV: "production" } as NodeJS.ProcessEnv;
  it("is off in production unless a proxy or AUTH_URL is configured", () => {
    expect(trustHostFrom(production)).toBe(false);
    expect(trustHostFrom({ ...production, TRUSTED_PROXY_HOPS: "1" })).toBe(true);
    expect(trustHostFrom({ ...production, AUTH_URL: "https://mail.example.com" })).toBe(true);
  });
  it("follows an explicit AUTH_TRUST_HOST either way", () => {
    expect(trustHostFrom({ ...production, AUTH_TRUST_HOST: "true" })).toBe(true);
    expect(trustHostFrom({ ...production, TRUSTED_PROXY_HOPS: "1", AUTH_TRUST_HOST: "false" })).toBe(false);
  });
});
