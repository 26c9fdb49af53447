/**
 * Headers a message gets on its way out, beside the ones rendering adds.
 *
 * List-Id (RFC 2919): our step emails carry List-Unsubscribe (RFC 2369 /
 * 8058), which marks them as list mail; list mail without a List-Id is what
 * spam filters call "incomplete mailing list headers" (SpamAssassin's
 * LIST_PARTIAL_SHORT_MSG, 1.0 point on a short message). The id names the
 * sender's domain, so that every message of one installation shares it and
 * mail clients can filter or unsubscribe by it.
 */
export function listHeaders(message: { from: string; headers: Record<string, string> }): Record<string, string> {
  const existing = new Set(Object.keys(message.headers).map((name) => name.toLowerCase()));
  if (!existing.has("list-unsubscribe") || existing.has("list-id")) return {};
  const { name, domain } = splitFrom(message.from);
  if (!domain) return {};
  const label = `stepwise.${domain.toLowerCase()}`;
  // A non-ASCII name would need an encoded word, which some filters misread in List-Id: the id alone then.
  return { "List-Id": name && /^[\x20-\x7e]+$/.test(name) ? `${quotedPhrase(name)} <${label}>` : `<${label}>` };
}

/** "Sam at Acme <sam@acme.example>" -> name and domain of the address. */
function splitFrom(from: string): { name: string; domain: string | null } {
  const bracketed = from.match(/^(.*)<([^<>]+)>\s*$/);
  const address = (bracketed ? bracketed[2] : from).trim();
  const name = (bracketed ? bracketed[1] : "").trim().replace(/^"(.*)"$/, "$1");
  // A domain of letters, digits, hyphens and dots only: anything else cannot go into an id.
  const domain = address.match(/^[^\s@<>]+@([A-Za-z0-9.-]+)$/)?.[1] ?? null;
  return { name, domain };
}

/** A printable-ASCII display name as an RFC 5322 quoted string. */
function quotedPhrase(name: string): string {
  return `"${name.replace(/["\\]/g, "\\$&")}"`;
}
