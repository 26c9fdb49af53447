import { createHmac } from "node:crypto";
import type { ServeHandlers } from "./types";

/**
 * How the executor reaches the app's `serve()` endpoint: in-process through
 * the exported Next route handlers, or over HTTP.
 */
export interface AppTransport {
  readonly serveUrl: string;
  request(method: "GET" | "PUT" | "POST", query: Record<string, string>, body?: string, headers?: Record<string, string>): Promise<Response>;
}

export interface TransportOptions {
  handlers?: ServeHandlers;
  serveUrl?: string;
  /** Only needed for an app in cloud mode; dev mode skips signature checks. */
  signingKey?: string;
  requestTimeoutMs?: number;
}

// In-process requests still need an absolute URL; the SDK only uses it to
// build the step URLs it reports at sync time.
const IN_PROCESS_URL = "http://127.0.0.1:3000/api/inngest";

export function createTransport(opts: TransportOptions): AppTransport {
  const serveUrl = opts.serveUrl ?? IN_PROCESS_URL;
  const { handlers } = opts;
  if (!handlers && !opts.serveUrl) throw new Error("LocalExecutor needs `handlers` or `serveUrl`");

  return {
    serveUrl,
    async request(method, query, body, headers = {}) {
      const url = new URL(serveUrl);
      for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
      const allHeaders: Record<string, string> = {
        "content-type": "application/json",
        "x-inngest-server-kind": "dev",
        ...headers,
      };
      if (opts.signingKey && body !== undefined) {
        // The SDK verifies against its canonical re-encoding of the parsed body.
        body = canonicalJson(JSON.parse(body));
        allHeaders["x-inngest-signature"] = signBody(body, opts.signingKey, Math.floor(Date.now() / 1000));
      }
      const init: RequestInit = { method, headers: allHeaders, body };
      if (!handlers) {
        return fetch(url, { ...init, signal: AbortSignal.timeout(opts.requestTimeoutMs ?? 300_000) });
      }
      const handler = handlers[method];
      if (!handler) return new Response(`no ${method} handler`, { status: 405 });
      // Next passes a context with (async) route params as the second argument.
      return handler(new Request(url, init), { params: Promise.resolve({}) });
    },
  };
}

/**
 * `x-inngest-signature` as the SDK verifies it: HMAC-SHA256 keyed with the
 * signing key minus its `signkey-<env>-` prefix, over the canonical JSON body
 * followed by the unix-seconds timestamp. `body` must be canonical JSON
 * (see `canonicalJson`) because the SDK re-canonicalizes the parsed body.
 */
export function signBody(body: string, signingKey: string, unixSeconds: number): string {
  const key = signingKey.replace(/^signkey-[\w]+-/, "");
  const mac = createHmac("sha256", key).update(body + String(unixSeconds)).digest("hex");
  return `t=${unixSeconds}&s=${mac}`;
}

/** JSON with object keys sorted (RFC 8785 style), as the SDK's `canonicalize`. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
    return canonicalJson((value as { toJSON: () => unknown }).toJSON());
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}
