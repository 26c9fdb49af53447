/**
 * A webhook receiver on 127.0.0.1:0 for the outbound-webhook tests: records
 * every request (headers and raw body) and answers with the next scripted
 * status (200 once the script is used up), or holds the request open.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Received = { headers: http.IncomingHttpHeaders; body: string };
export type Reply = number | "hold";

export async function startReceiver(script: Reply[] = []) {
  const received: Received[] = [];
  const held: http.ServerResponse[] = [];
  const waiters: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      waiters.splice(0).forEach((w) => w());
      const reply = script.shift() ?? 200;
      if (reply === "hold") return void held.push(res);
      res.writeHead(reply, { "content-type": "text/plain" }).end(reply < 300 ? "ok" : `failing with ${reply}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** Resolves once `count` requests have arrived. */
    async waitFor(count: number): Promise<void> {
      while (received.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    async close(): Promise<void> {
      held.forEach((res) => res.destroy());
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
