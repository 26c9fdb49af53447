/**
 * Where webhooks may be sent (SSRF): http(s) only, no credentials in the
 * URL, and no loopback, private, link-local or otherwise internal address
 * unless STEPWISE_WEBHOOKS_ALLOW_PRIVATE=1 (tests, a receiver on the same
 * network on purpose). The address is checked when an endpoint is saved and
 * again on every connection (lookupGuard), so a name that later resolves
 * inward (DNS rebinding) is refused too.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";

const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  blocked.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["64:ff9b::", 96],
] as const) {
  blocked.addSubnet(net, prefix, "ipv6");
}

export function privateAddressesAllowed(): boolean {
  return process.env.STEPWISE_WEBHOOKS_ALLOW_PRIVATE === "1";
}

/** True for an address no webhook may reach (IPv4-mapped IPv6 is judged as IPv4). */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1], "ipv4");
  const family = isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family === 6) return blocked.check(address, "ipv6");
  return true;
}

/** Why `raw` cannot be an endpoint URL, judged without DNS; null when its form is fine. */
export function urlFormProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Enter a full URL, e.g. https://example.com/webhooks";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "Only http:// and https:// URLs can receive webhooks";
  if (url.username || url.password) return "Put no user name or password in the URL; verify the signature instead";
  if (privateAddressesAllowed()) return null;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost")) return "Webhooks cannot be sent to this machine";
  if (isIP(host) && isInternalAddress(host)) return "Webhooks cannot be sent to private or internal addresses";
  return null;
}

/** Like urlFormProblem, and the name's current addresses too. */
export async function urlProblem(raw: string): Promise<string | null> {
  const problem = urlFormProblem(raw);
  if (problem || privateAddressesAllowed()) return problem;
  const host = new URL(raw).hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) return null;
  try {
    const addresses = await new Promise<LookupAddress[]>((resolve, reject) => dnsLookup(host, { all: true }, (err, list) => (err ? reject(err) : resolve(list))));
    if (addresses.some((a) => isInternalAddress(a.address))) return "This host resolves to a private or internal address";
    return null;
  } catch {
    return "This host name does not resolve";
  }
}

/** A `lookup` for http.request that refuses internal addresses at connection time. */
export const lookupGuard: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, "", 0);
    const list = addresses as LookupAddress[];
    if (!privateAddressesAllowed() && list.some((a) => isInternalAddress(a.address))) {
      return callback(Object.assign(new Error(`${hostname} resolves to an internal address`), { code: "EWEBHOOKBLOCKED" }), "", 0);
    }
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
    callback(null, list[0].address, list[0].family);
  });
};
