/**
 * For end-to-end tests only (enabled by STEPWISE_E2E_CONTROL_PORT): lets a
 * test move the local executor's clock forward, so that "three days later"
 * takes a second. The app keeps real time; only sleeps end early.
 */
import http from "node:http";
import type { Clock, LocalExecutor } from "../../inngest/local-executor";

export class OffsetClock implements Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
}

export function startExecutorControl(port: number, executor: LocalExecutor, clock: OffsetClock, host = "127.0.0.1") {
  const server = http.createServer((req, res) => {
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
  server.listen(port, host);
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
