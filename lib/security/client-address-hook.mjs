/**
 * Loaded into the Next.js server process with `node --import` (scripts/
 * start.ts). Before Next sees a request it replaces X-Forwarded-For with the
 * one client address the app may trust, so clientAddress() in
 * lib/security/client-address.ts only has to read it:
 * - TRUSTED_PROXY_HOPS unset or 0: the socket's peer; whatever the client
 *   sent is dropped (Next itself only fills the header when it is absent,
 *   which would let any client choose its own address).
 * - TRUSTED_PROXY_HOPS=N: the N-th address from the right of the chain
 *   (X-Forwarded-For plus the socket peer), as proxy-addr computes it; the
 *   N proxies in front each append what they saw.
 * Plain JavaScript because it runs before any TypeScript loader.
 */
import http from "node:http";
import proxyaddr from "proxy-addr";

export const HOOK_FLAG = Symbol.for("stepwise.client-address-hook");

/** How many proxies in front of the app append to X-Forwarded-For; 0 when unset or invalid. */
export function trustedProxyHops(value = process.env.TRUSTED_PROXY_HOPS) {
  if (value === undefined || value.trim() === "") return 0;
  const hops = Number(value);
  if (!Number.isInteger(hops) || hops < 0 || hops > 32) {
    throw new Error(`TRUSTED_PROXY_HOPS must be a whole number from 0 to 32, not "${value}"`);
  }
  return hops;
}

/** The client address of a Node request, given the number of trusted hops. */
export function resolveClientAddress(req, hops) {
  if (!req.socket?.remoteAddress) return undefined;
  return proxyaddr(req, (_address, index) => index < hops);
}

/** Overwrites X-Forwarded-For with the resolved address (or removes it). */
export function stampClientAddress(req, hops) {
  const address = resolveClientAddress(req, hops);
  if (address) req.headers["x-forwarded-for"] = address;
  else delete req.headers["x-forwarded-for"];
  delete req.headers["x-real-ip"];
}

/** Patches every HTTP server in this process; idempotent. */
export function installClientAddressHook(hops = trustedProxyHops()) {
  if (globalThis[HOOK_FLAG]) return;
  globalThis[HOOK_FLAG] = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (event, ...args) {
    if (event === "request") stampClientAddress(args[0], hops);
    return emit.call(this, event, ...args);
  };
}

if (process.env.STEPWISE_CLIENT_ADDRESS_HOOK !== "0") installClientAddressHook();
