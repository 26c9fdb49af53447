/**
 * Decisions `npm start` takes from the environment, as plain functions (unit
 * tested; the start-up matrix drives the whole script).
 */

/** What production mode requires; all are listed when any is missing. */
export const PRODUCTION_SETTINGS = ["INNGEST_SIGNING_KEY", "INNGEST_EVENT_KEY", "AUTH_SECRET", "STEPWISE_SIGNING_SECRET", "APP_URL"] as const;

/** Why this is production mode, or undefined when it is not. */
export function productionReason(env: NodeJS.ProcessEnv): string | undefined {
  if (env.STEPWISE_ENV === "production") return "STEPWISE_ENV=production";
  if (env.NODE_ENV === "production" && env.DATABASE_URL) return "NODE_ENV=production with DATABASE_URL";
  return undefined;
}

export function missingProductionSettings(env: NodeJS.ProcessEnv): string[] {
  return PRODUCTION_SETTINGS.filter((name) => !env[name]?.trim());
}

export function productionRefusal(reason: string, missing: string[]): string {
  return [
    `[start] Refusing to start in production mode (${reason}): ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not set.`,
    "[start] Production needs every one of: " + PRODUCTION_SETTINGS.join(", ") + ".",
    "[start] Set them (docs/security.md, \"Production checklist\"), or unset STEPWISE_ENV / NODE_ENV to run the local set-up.",
  ].join("\n");
}

/** The address Next.js and the local executor listen on: loopback unless HOST says otherwise. */
export function listenHost(env: NodeJS.ProcessEnv): string {
  return env.HOST?.trim() || "127.0.0.1";
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

/** An address to reach a server listening on `host` from this machine. */
export function localAddress(host: string): string {
  if (host === "0.0.0.0" || host === "::" || host === "") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

/** Demo data: STEPWISE_DEMO when given; otherwise on for the embedded database outside production. */
export function demoWanted(env: NodeJS.ProcessEnv, embedded: boolean): boolean {
  const value = env.STEPWISE_DEMO?.trim().toLowerCase();
  if (value) return !["0", "false", "no", "off"].includes(value);
  return embedded && !productionReason(env);
}

/** The banner's lines on who can reach the app. */
export function reachability(host: string, port: number): string[] {
  if (isLoopback(host)) {
    return [
      `Listening on ${host}:${port}: reachable from this machine only.`,
      "To accept connections from other machines set HOST=0.0.0.0 (and APP_URL to the address they use); see docs/security.md.",
    ];
  }
  return [
    `Listening on ${host}:${port} (HOST=${host}): reachable from other machines that can reach this address.`,
    "The local executor listens on the same address; the embedded PostgreSQL stays on 127.0.0.1. See docs/security.md.",
  ];
}
