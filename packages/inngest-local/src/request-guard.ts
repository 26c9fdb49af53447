/**
 * Checks every HTTP request to the executor's own ports (event API,
 * checkpoint API, the e2e clock control) shares: they are for programs on
 * this machine, never for a web page a browser happens to have open.
 */

/** Why a request was refused, as an HTTP answer; undefined when it may pass. */
export interface Refusal {
  status: number;
  error: string;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/**
 * A loopback Host header only: a DNS-rebinding page (evil.example resolving
 * to 127.0.0.1) sends its own name as Host.
 */
export function refuseForeignHost(host: string | null): Refusal | undefined {
  if (!host) return { status: 421, error: "a Host header is required" };
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return { status: 421, error: "malformed Host header" };
  }
  return LOOPBACK_HOSTS.has(hostname.toLowerCase()) ? undefined : { status: 421, error: "only loopback hosts are served" };
}

/**
 * Browsers mark where a request comes from; programs (the SDK, curl, Node's
 * fetch) send neither header. No legitimate caller is a web page, so any
 * Origin, or a Sec-Fetch-Site other than "none" (typed by the user), is a
 * cross-site request and is refused.
 */
export function refuseCrossSite(headers: Headers): Refusal | undefined {
  const site = headers.get("sec-fetch-site");
  if (headers.get("origin") !== null || (site !== null && site !== "none")) {
    return { status: 403, error: "cross-site requests are refused" };
  }
  return undefined;
}

/** A JSON body, declared as one: a form post cannot reach these endpoints. */
export function refuseNonJson(headers: Headers): Refusal | undefined {
  const type = headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  return type === "application/json" ? undefined : { status: 415, error: "content-type must be application/json" };
}

/** The first refusal that applies, in the order a caller would fix them. */
export function firstRefusal(...checks: (Refusal | undefined)[]): Refusal | undefined {
  return checks.find((check) => check !== undefined);
}

/** An untrusted string for a log line: quoted, control characters escaped. */
export function logSafe(value: unknown): string {
  return JSON.stringify(String(value)).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}
