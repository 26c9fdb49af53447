/**
 * For end-to-end tests only (enabled by STEPWISE_E2E_CONTROL_PORT with
 * STEPWISE_E2E_CONTROL_KEY): lets a test move the local executor's clock
 * forward, so that "three days later" takes a second. The app keeps real
 * time; only sleeps end early.
 *
 * It ends waits early for every run, so it answers only a caller that has the
 * key (`Authorization: Bearer <key>`), on a loopback Host, with a JSON
 * content type, and never a web page (no Origin, no cross-site fetch).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  firstRefusal,
  refuseCrossSite,
  refuseForeignHost,
  refuseNonJson,
  sameSecret,
  type Clock,
  type LocalExecutor,
  type Refusal,
} from "@stepwise/inngest-local";

export class OffsetClock implements Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
}

function headersOf(req: http.IncomingMessage): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(key, value);
    else if (Array.isArray(value)) headers.set(key, value.join(", "));
  }
  return headers;
}

function refuseWrongKey(headers: Headers, key: string): Refusal | undefined {
  const bearer = /^Bearer (.+)$/.exec(headers.get("authorization") ?? "")?.[1] ?? "";
  return sameSecret(bearer, key) ? undefined : { status: 401, error: "a valid control key is required" };
}

export function startExecutorControl(port: number, executor: LocalExecutor, clock: OffsetClock, key: string, host = "127.0.0.1") {
  if (key.length < 16) throw new Error("the executor control port needs a key of at least 16 characters");
  const server = http.createServer((req, res) => {
    const headers = headersOf(req);
    const refusal = firstRefusal(
      refuseForeignHost(headers.get("host")),
      refuseCrossSite(headers),
      refuseNonJson(headers),
      refuseWrongKey(headers, key),
    );
    if (refusal) {
      res.writeHead(refusal.status, { "content-type": "application/json" }).end(JSON.stringify(refusal));
      return;
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method === "POST" && url.pathname === "/advance") {
      const ms = Number(url.searchParams.get("ms"));
      if (!Number.isFinite(ms) || ms < 0) {
        res.writeHead(400).end("ms must be a non-negative number");
        return;
      }
      clock.offsetMs += ms;
      executor
        .tick()
        .then(() => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ offsetMs: clock.offsetMs })))
        .catch((error) => res.writeHead(500).end(String(error)));
      return;
    }
    if (req.method === "POST" && url.pathname === "/reset") {
      // Back to real time, so one test's "days later" does not end the next
      // test's waits at once. Runs already sleeping past now simply wait.
      clock.offsetMs = 0;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ offsetMs: 0 }));
      return;
    }
    res.writeHead(404).end();
  });
  // Resolves with the port bound (port 0: one the system chose).
  const listening = new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
  return {
    listening,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
