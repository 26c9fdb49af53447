/**
 * The one place that says who the client is, for every rate limit and every
 * consent record. X-Forwarded-For arrives here already resolved by
 * lib/security/client-address-hook.mjs (socket peer, or the N-th hop from
 * the right with TRUSTED_PROXY_HOPS=N), so the right-most entry is the
 * client. Anything that is not an IP address becomes "unknown".
 */
import { isIP } from "node:net";

const HOOK_FLAG = Symbol.for("stepwise.client-address-hook");
let warned = false;

export function clientAddress(headers: Headers): string {
  if (!warned && process.env.NODE_ENV === "production" && !(globalThis as Record<symbol, unknown>)[HOOK_FLAG]) {
    warned = true;
    console.warn("[security] the client-address hook is not loaded (start the app with `npm start`): X-Forwarded-For is taken as sent.");
  }
  const forwarded = headers.get("x-forwarded-for");
  const last = forwarded?.slice(-256).split(",").pop()?.trim() ?? "";
  const address = last.startsWith("::ffff:") && isIP(last.slice(7)) === 4 ? last.slice(7) : last;
  return isIP(address) ? address : "unknown";
}
