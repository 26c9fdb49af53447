/**
 * The one module that reads MIME: a raw message in, the fields reply and
 * bounce handling need out. Everything needed is in the header block (the
 * report's parts are split below), so the header block is read with
 * libmime (header lines, encoded words, parameters) and mailparser's
 * address parser, the pieces mailparser's own header handling is built
 * from, without its streaming pipeline: that cost ~0.1 ms a message warm
 * and several event-loop turns each, on a path that reads them by the
 * thousand (docs/benchmarks.md, "Reply detection (13)"). What it reads is
 * what simpleParser reads for these fields (tests/unit/parse-message.test.ts
 * holds them side by side).
 */
import libmime from "libmime";
import { parseAddressHeader } from "mailparser";
import { messageIdsIn } from "../replies/normalize";
import { headerBlock } from "./header-scan";

export type DsnRecipient = { finalRecipient: string; originalRecipient: string | null; action: string; status: string; diagnostic: string | null };

export type ParsedMessage = {
  from: string | null;
  subject: string;
  messageId: string | null;
  inReplyTo: string | null;
  /** In-Reply-To then References (newest first), without brackets. */
  referencedIds: string[];
  /** Raw header values by lower-cased name (the first of repeated ones), unfolded. */
  headers: Record<string, string>;
  /** An RFC 3464 delivery status notification's per-recipient fields. */
  dsn: DsnRecipient[] | null;
  /** Message-IDs of the message a DSN returns (its headers, when included). */
  returnedMessageIds: string[];
};

/** An encoded word that does not decode stays as it came, as mailparser leaves it. */
function decodeWords(value: string): string {
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

/** A Message-ID in angle brackets (some clients leave them out); null when empty. */
function bracketed(value: string | undefined): string | null {
  const id = decodeWords(value ?? "").trim();
  if (!id) return null;
  return `${id.startsWith("<") ? "" : "<"}${id}${id.endsWith(">") ? "" : ">"}`;
}

export function parseMessage(source: Buffer): ParsedMessage {
  // Raw 8-bit header bytes are UTF-8 (RFC 6532); encoded words are ASCII.
  const lines = libmime.decodeHeaders(headerBlock(source).toString("utf8"), { skipPrototypeKeys: true });
  const headers: Record<string, string> = {};
  for (const [key, values] of Object.entries(lines)) headers[key] = values[0];
  const from = parseAddressHeader(lines["from"]?.[0], { flatten: true }).value.find((a) => a.address)?.address ?? null;
  const inReplyTo = bracketed(lines["in-reply-to"]?.[0]);
  // As mailparser reads References: every word an id, brackets added where missing.
  const references = (lines["references"] ?? []).flatMap((value) => decodeWords(value).split(/\s+/)).map(bracketed).join(" ");
  const contentType = lines["content-type"]?.[0] ? libmime.parseHeaderValue(lines["content-type"][0], { stripComments: true }) : null;
  const report = reportParts(source, contentType);
  const dsnPart = report.find((part) => /^message\/(global-)?delivery-status$/.test(part.type));
  const returned = report.find((part) => part.type === "message/rfc822" || part.type === "text/rfc822-headers");
  return {
    from,
    subject: decodeWords(lines["subject"]?.[0] ?? ""),
    messageId: bracketed(lines["message-id"]?.[0]),
    inReplyTo,
    referencedIds: [...messageIdsIn(inReplyTo ?? undefined), ...messageIdsIn(references).reverse()],
    headers,
    dsn: dsnPart ? parseDeliveryStatus(dsnPart.body) : null,
    returnedMessageIds: dsnPart && returned ? returnedIds(returned.body) : [],
  };
}

/** RFC 3464: a per-message block, then one block per recipient, separated by blank lines; each block is header fields. */
export function parseDeliveryStatus(text: string): DsnRecipient[] {
  const recipients: DsnRecipient[] = [];
  for (const block of text.split(/\r?\n[ \t]*\r?\n/)) {
    const fields = libmime.decodeHeaders(block, { skipPrototypeKeys: true });
    const first = (name: string) => fields[name]?.[0];
    const finalRecipient = first("final-recipient");
    if (!finalRecipient) continue;
    const original = first("original-recipient");
    recipients.push({
      finalRecipient: addressOf(finalRecipient),
      originalRecipient: original ? addressOf(original) : null,
      action: (first("action") ?? "").toLowerCase(),
      status: first("status") ?? "",
      diagnostic: first("diagnostic-code") ?? null,
    });
  }
  return recipients;
}

/** "rfc822; ada@example.com" -> "ada@example.com". */
function addressOf(field: string): string {
  const semicolon = field.indexOf(";");
  return (semicolon >= 0 ? field.slice(semicolon + 1) : field).trim().replace(/^<|>$/g, "");
}

/**
 * The direct parts of a multipart/report (RFC 6522) with their content
 * types; a report's parts are always direct children of it.
 */
function reportParts(source: Buffer, contentType: { value: string; params: Record<string, string> } | null): { type: string; body: string }[] {
  const boundary = contentType?.params.boundary;
  if (contentType?.value.toLowerCase() !== "multipart/report" || !boundary) return [];
  const parts = source.toString("utf8").split(`--${boundary}`).slice(1);
  return parts.flatMap((part) => {
    const split = part.search(/\r?\n\r?\n/);
    if (split < 0) return [];
    const partType = libmime.decodeHeaders(part.slice(0, split), { skipPrototypeKeys: true })["content-type"]?.[0];
    const type = partType ? libmime.parseHeaderValue(partType, { stripComments: true }).value.toLowerCase() : "text/plain";
    return [{ type, body: part.slice(split).replace(/^\r?\n\r?\n/, "") }];
  });
}

/** The Message-IDs in the returned message's (or its headers') Message-ID header. */
function returnedIds(body: string): string[] {
  return messageIdsIn(libmime.decodeHeaders(body, { skipPrototypeKeys: true })["message-id"]?.[0]);
}
