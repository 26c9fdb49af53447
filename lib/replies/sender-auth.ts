/**
 * Whether the receiving provider vouches for a reply's From address: its
 * Authentication-Results header (RFC 8601) reports dmarc=pass for the From
 * domain, or dkim=pass / spf=pass for a domain aligned with it (relaxed
 * alignment: the same domain or one a parent of the other). Providers put
 * their own Authentication-Results first; the payloads here carry one value
 * per header name, the first.
 */
import { lowerCaseKeys } from "./auto-reply";

const METHOD = /^(dkim|spf|dmarc)=([a-z]+)/i;
const PROPERTY = /(header\.d|header\.i|header\.from|smtp\.mailfrom|smtp\.helo)=([^\s;()]+)/gi;

const domainOf = (value: string) => value.slice(value.lastIndexOf("@") + 1).toLowerCase().replace(/\.$/, "");

/** Relaxed alignment; a bare top-level name ("com") never aligns with anything. */
function aligned(a: string, b: string): boolean {
  if (!a.includes(".") || !b.includes(".")) return false;
  return a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);
}

/** True when the provider authenticated `fromAddress`'s domain; see the module comment. */
export function senderAuthenticated(headers: Record<string, string> | undefined, fromAddress: string): boolean {
  const results = lowerCaseKeys(headers ?? {})["authentication-results"];
  if (!results) return false;
  const fromDomain = domainOf(fromAddress);
  if (!fromDomain) return false;
  // The first part names the host that evaluated; each later part is one method's result.
  for (const part of results.slice(0, 4000).split(";").slice(1)) {
    const method = part.trim().match(METHOD);
    if (!method || method[2].toLowerCase() !== "pass") continue;
    const kind = method[1].toLowerCase();
    for (const [, name, value] of part.matchAll(PROPERTY)) {
      const property = name.toLowerCase();
      const relevant =
        (kind === "dkim" && (property === "header.d" || property === "header.i")) ||
        (kind === "spf" && property === "smtp.mailfrom") ||
        (kind === "dmarc" && property === "header.from");
      if (relevant && aligned(domainOf(value), fromDomain)) return true;
    }
  }
  return false;
}
