/**
 * The one module that reads MIME (mailparser): a raw message in, the
 * fields reply and bounce handling need out.
 */
import { simpleParser } from "mailparser";
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
  /** Raw header values by lower-cased name (the first of repeated ones). */
  headers: Record<string, string>;
  /** An RFC 3464 delivery status notification's per-recipient fields. */
  dsn: DsnRecipient[] | null;
  /** Message-IDs of the message a DSN returns (its headers, when included). */
  returnedMessageIds: string[];
};

export async function parseMessage(source: Buffer): Promise<ParsedMessage> {
  // Everything mailparser is asked for is in the header block (the report's
  // parts are split below): parsing the bodies too (HTML, quoted text,
  // attachments) was CPU work whose result was thrown away.
  const mail = await simpleParser(headerBlock(source), { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true });
  const headers: Record<string, string> = {};
  for (const { key, line } of mail.headerLines) {
    if (!(key in headers)) headers[key] = unfold(line.slice(line.indexOf(":") + 1)).trim();
  }
  const references = Array.isArray(mail.references) ? mail.references.join(" ") : (mail.references ?? "");
  const report = reportParts(source, mail.headers.get("content-type"));
  const dsnPart = report.find((part) => /^message\/(global-)?delivery-status$/.test(part.type));
  const returned = report.find((part) => part.type === "message/rfc822" || part.type === "text/rfc822-headers");
  return {
    from: mail.from?.value[0]?.address ?? null,
    subject: mail.subject ?? "",
    messageId: mail.messageId ?? null,
    inReplyTo: mail.inReplyTo ?? null,
    referencedIds: [...messageIdsIn(mail.inReplyTo), ...messageIdsIn(references).reverse()],
    headers,
    dsn: dsnPart ? parseDeliveryStatus(dsnPart.body) : null,
    returnedMessageIds: dsnPart && returned ? returnedIds(returned.body) : [],
  };
}

function unfold(value: string): string {
  return value.replace(/\r?\n[ \t]+/g, " ");
}

/** RFC 3464: a per-message block, then one block per recipient, separated by blank lines. */
export function parseDeliveryStatus(text: string): DsnRecipient[] {
  const blocks = unfold(text).split(/\r?\n\s*\r?\n/);
  const recipients: DsnRecipient[] = [];
  for (const block of blocks) {
    const fields: Record<string, string> = {};
    for (const line of block.split(/\r?\n/)) {
      const colon = line.indexOf(":");
      if (colon > 0) fields[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    if (!fields["final-recipient"]) continue;
    recipients.push({
      finalRecipient: addressOf(fields["final-recipient"]),
      originalRecipient: fields["original-recipient"] ? addressOf(fields["original-recipient"]) : null,
      action: (fields["action"] ?? "").toLowerCase(),
      status: fields["status"] ?? "",
      diagnostic: fields["diagnostic-code"] ?? null,
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
 * types. mailparser folds a message/delivery-status part into the text, so
 * the report's parts are split here; they are always direct children.
 */
function reportParts(source: Buffer, contentType: unknown): { type: string; body: string }[] {
  const header = contentType as { value?: string; params?: Record<string, string> } | undefined;
  const boundary = header?.params?.boundary;
  if (header?.value?.toLowerCase() !== "multipart/report" || !boundary) return [];
  const parts = source.toString("utf8").split(`--${boundary}`).slice(1);
  return parts.flatMap((part) => {
    const split = part.search(/\r?\n\r?\n/);
    if (split < 0) return [];
    const head = unfold(part.slice(0, split));
    const type = head.match(/^content-type:\s*([^;\s]+)/im)?.[1]?.toLowerCase() ?? "text/plain";
    return [{ type, body: part.slice(split).replace(/^\r?\n\r?\n/, "") }];
  });
}

/** The Message-IDs in the returned message's (or its headers') Message-ID header. */
function returnedIds(body: string): string[] {
  const head = unfold(body.split(/\r?\n\r?\n/)[0]);
  const line = head.match(/^message-id:\s*(.+)$/im);
  return line ? messageIdsIn(line[1]) : [];
}
