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

/** The Next.js server's heap budget when the operator sets none (STEPWISE_SERVER_HEAP_MB). */
export const DEFAULT_SERVER_HEAP_MB = 1024;
const MIN_SERVER_HEAP_MB = 256;

/**
 * NODE_OPTIONS for the Next.js server: the operator's, with a heap budget
 * (--max-old-space-size) unless they gave one. Without a budget, V8 sizes
 * the heap from the machine's memory (4 GB here, on 24 GB), and with a limit
 * of 2 GB or more it lets garbage grow to up to 4x the live objects before a
 * full collection; under 2 GB the factor shrinks with the limit (1.6x at
 * 1 GB). The app_memory benchmark's server holds ~150 MB live, yet peaked at
 * 680 MB resident without a budget and ~350 MB with this one
 * (docs/benchmarks.md). In NODE_OPTIONS rather than on the command line:
 * Next.js renames its process, which overwrites the command line.
 */
export function serverNodeOptions(env: NodeJS.ProcessEnv): string {
  const operator = env.NODE_OPTIONS?.trim() ?? "";
  if (heapBudgetIn(operator) !== null) return operator;
  const given = env.STEPWISE_SERVER_HEAP_MB?.trim();
  if (given && (!/^\d+$/.test(given) || Number(given) < MIN_SERVER_HEAP_MB)) {
    throw new Error(`STEPWISE_SERVER_HEAP_MB must be a whole number of megabytes, at least ${MIN_SERVER_HEAP_MB} (it is "${given}")`);
  }
  const budget = given ? Number(given) : DEFAULT_SERVER_HEAP_MB;
  return [operator, `--max-old-space-size=${budget}`].filter(Boolean).join(" ");
}

/** The heap budget (in MB, as written) a NODE_OPTIONS value gives with --max-old-space-size, or null. */
export function heapBudgetIn(nodeOptions: string): string | null {
  return /(?:^|\s)--max-old-space-size[=\s](\S*)/.exec(nodeOptions)?.[1] ?? null;
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
