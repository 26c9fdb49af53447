/**
 * One webhook POST over node:http(s): the connection goes through
 * lookupGuard (no internal addresses), redirects are not followed (a 3xx is
 * a failure: the receiver must give its final URL), and the whole exchange
 * is bounded by a timeout. Only the first bytes of the response are kept.
 */
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { isInternalAddress, lookupGuard, privateAddressesAllowed } from "./address-policy";

const EXCERPT_BYTES = 1024;

export type PostResult = { statusCode: number | null; responseExcerpt: string | null; error: string | null; durationMs: number };

export async function postWebhook(rawUrl: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const url = new URL(rawUrl);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  // An IP literal skips the lookup, so it is checked here.
  if (isIP(host) && !privateAddressesAllowed() && isInternalAddress(host)) {
    return { statusCode: null, responseExcerpt: null, error: "refused: internal address", durationMs: 0 };
  }
  const transport = url.protocol === "https:" ? https : http;
  return new Promise<PostResult>((resolve) => {
    const request = transport.request(
      url,
      {
        method: "POST",
        lookup: lookupGuard,
        headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(body), "user-agent": "Stepwise-Webhooks/1" },
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on("data", (chunk: Buffer) => {
          if (kept < EXCERPT_BYTES) chunks.push(chunk.subarray(0, EXCERPT_BYTES - kept));
          kept += chunk.length;
        });
        response.on("end", () => {
          const statusCode = response.statusCode ?? null;
          const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
          resolve({ statusCode, responseExcerpt: Buffer.concat(chunks).toString("utf8").replace(/\u0000/g, ""), error: ok ? null : `HTTP ${statusCode}`, durationMs: elapsed() });
        });
        response.on("error", (err) => resolve({ statusCode: response.statusCode ?? null, responseExcerpt: null, error: err.message, durationMs: elapsed() }));
      },
    );
    const timer = setTimeout(() => request.destroy(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    request.on("timeout", () => request.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    request.on("error", (err) => resolve({ statusCode: null, responseExcerpt: null, error: err.message.slice(0, 500), durationMs: elapsed() }));
    request.on("close", () => clearTimeout(timer));
    request.end(body);
  });
}
