import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { idFromSeed } from "./ids";
import type { LocalExecutor } from "./executor";
import type { EventPayload } from "./types";

/**
 * The slice of Inngest's event API that `inngest.send()` uses:
 * `POST <base>/e/<event key>` with a JSON array, answered by `{ids, status: 200}`.
 * The key is not checked (dev mode sends "NO_EVENT_KEY_SET").
 */
export async function handleEventApiRequest(executor: LocalExecutor, req: Request): Promise<Response> {
  const url = new URL(req.url);
  if (req.method === "GET" && (url.pathname === "/" || url.pathname === "")) {
    return json(200, {
      status: "ok",
      server: "stepwise-local-executor",
      functions: executor.functions().map((fn) => fn.id),
      runs: executor.runs().length,
    });
  }
  if (!/\/e\/[^/]+\/?$/.test(url.pathname)) return json(404, { error: "not found", status: 404 });
  if (req.method !== "POST") return json(405, { error: "method not allowed", status: 405 });

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

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}
