/**
 * From addresses as they go into headers, and the DKIM alignment check the
 * senders page warns with. Pure: no database, no environment.
 */

/** Characters that make a display name need quoting (RFC 5322 "specials"). */
const SPECIALS = /[()<>\[\]:;@\\,."]/;

/**
 * "Name <address>", the name quoted when it holds specials. Names are
 * validated to hold no quotes, backslashes, angle brackets or line breaks
 * (lib/validations/sender.ts), so quoting needs no escapes.
 */
export function formatFrom(name: string, address: string): string {
  return SPECIALS.test(name) ? `"${name}" <${address}>` : `${name} <${address}>`;
}

/** "Name <a@b>" or "a@b" -> "a@b". */
export function addressOf(from: string): string {
  const bracketed = from.match(/<([^<>]+)>\s*$/);
  return (bracketed ? bracketed[1] : from).trim();
}

/** The lower-cased domain of an address, or null. */
export function domainOf(address: string): string | null {
  const at = address.lastIndexOf("@");
  return at < 0 ? null : address.slice(at + 1).trim().toLowerCase() || null;
}

/**
 * Whether mail from `address` signed for `dkimDomain` passes DMARC's relaxed
 * alignment: the same domain, or one a subdomain of the other's. (Strictly
 * it is the organizational domain that must match; this approximation
 * needs no public-suffix list and errs towards warning.) Null: no DKIM
 * configured, nothing to align.
 */
export function dkimAligned(address: string, dkimDomain: string | undefined): boolean | null {
  if (!dkimDomain) return null;
  const from = domainOf(address);
  const signing = dkimDomain.trim().toLowerCase().replace(/\.$/, "");
  if (!from) return false;
  return from === signing || from.endsWith(`.${signing}`) || signing.endsWith(`.${from}`);
}
