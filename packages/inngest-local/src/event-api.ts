import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { idFromSeed } from "./ids";
import type { LocalExecutor } from "./executor";
import { firstRefusal, refuseCrossSite, refuseForeignHost, refuseNonJson, type Refusal } from "./request-guard";
import type { EventPayload } from "./types";

/**
 * The executor's HTTP API, for programs on this machine only (loopback Host,
 * no browser origin):
 * - `GET /`: status;
 * - `POST <base>/e/<event key>` with a JSON array, answered by `{ids, status: 200}`:
 *   the slice of Inngest's event API that `inngest.send()` uses. The key must
 *   be the executor's (real Inngest requires an event key outside dev mode);
 * - `POST /v1/checkpoint/<run id>/async`: the SDK's async checkpoints
 *   (see checkpoint.ts), authenticated by the hashed signing key.
 */
export async function handleEventApiRequest(executor: LocalExecutor, req: Request): Promise<Response> {
  const url = new URL(req.url);
  // In-process callers build a Request without a Host header: its URL's host is the one asked for.
  const local = firstRefusal(refuseForeignHost(req.headers.get("host") ?? url.host), refuseCrossSite(req.headers));
  if (local) return refuse(local);
  if (req.method === "GET" && (url.pathname === "/" || url.pathname === "")) {
    return json(200, {
      status: "ok",
      server: "stepwise-local-executor",
      functions: executor.functions().map((fn) => fn.id),
      runs: executor.runs().length,
    });
  }
  if (url.pathname.startsWith("/v1/")) return executor.apiRequest(req, url);
  const match = /\/e\/([^/]+)\/?$/.exec(url.pathname);
  if (!match) return json(404, { error: "not found", status: 404 });
  if (req.method !== "POST") return json(405, { error: "method not allowed", status: 405 });
  const refusal = firstRefusal(refuseNonJson(req.headers), executor.refuseEventKey(decodeURIComponent(match[1])));
  if (refusal) return refuse(refusal);

  let payloads: EventPayload[];
  try {
    const body: unknown = await req.json();
    payloads = (Array.isArray(body) ? body : [body]) as EventPayload[];
  } catch {
    return json(400, { error: "body must be JSON", status: 400 });
  }
  // The SDK sends a seed so that a retried send yields the same ids (and so dedupes).
  const seed = req.headers.get("x-inngest-event-id-seed");
  try {
    const { ids } = executor.acceptEvents(payloads, seed ? (index) => idFromSeed(seed, index) : undefined);
    return json(200, { ids, status: 200 });
  } catch (error) {
    return json(400, { error: error instanceof Error ? error.message : String(error), status: 400 });
  }
}

function refuse(refusal: Refusal): Response {
  return json(refusal.status, { error: refusal.error, status: refusal.status });
}

export interface EventApiServer {
  /** Base URL to give the Inngest client (`baseUrl` / INNGEST_BASE_URL). */
  url: string;
  close(): Promise<void>;
}

/** Serves `handleEventApiRequest` over HTTP. Port 0 picks a free port. */
export function startEventApiServer(executor: LocalExecutor, port: number, host: string): Promise<EventApiServer> {
  const server = createServer((req, res) => {
    void toWebRequest(req, host)
      .then((request) => handleEventApiRequest(executor, request))
      .then((response) => writeResponse(res, response))
      .catch((error: unknown) => {
        res.statusCode = 500;
        res.end(JSON.stringify({ error: String(error), status: 500 }));
      });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${address.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}

async function toWebRequest(req: IncomingMessage, host: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(key, value);
    else if (Array.isArray(value)) headers.set(key, value.join(", "));
  }
  const method = req.method ?? "GET";
  const body = method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks);
  return new Request(new URL(req.url ?? "/", `http://${req.headers.host ?? host}`), { method, headers, body });
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, key) => res.setHeader(key, value));
  res.end(Buffer.from(await response.arrayBuffer()));
}

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}
