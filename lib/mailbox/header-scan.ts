/**
 * What a message's header block alone tells the reader: the Message-IDs it
 * refers to, whether it is a report (a possible bounce), and the addresses
 * it was delivered to (a VERP return path). Most of an inbox is none of
 * ours; deciding that from a few header fields spares parsing each message
 * (mailparser took ~2 ms a message, header block alone, on these machines;
 * this takes microseconds). Only the fields below are read, and none of them
 * needs MIME decoding: Message-IDs and addr-specs are ASCII.
 */
import { messageIdsIn } from "../replies/normalize";

export type HeaderFacts = {
  /** In-Reply-To then References (newest first), without brackets. */
  referencedIds: string[];
  /** multipart/report: a delivery status notification, maybe. */
  isReport: boolean;
  /** Addresses in To, Delivered-To, X-Original-To and Envelope-To, lower-cased. */
  deliveredTo: string[];
};

const WANTED = new Set(["in-reply-to", "references", "content-type", "to", "delivered-to", "x-original-to", "envelope-to"]);
/** The address-like words of a header value (split, not matched: linear on hostile input). */
function addressesIn(value: string): string[] {
  return value.split(/[\s<>,;:"()]+/).filter((word) => word.indexOf("@") > 0 && word.indexOf("@") === word.lastIndexOf("@") && !word.endsWith("@"));
}

/** The wanted fields (all occurrences), unfolded, from the header block (up to the first empty line). */
function fields(source: Buffer): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const end = Math.min(firstBlankLine(source), source.length);
  let current: { name: string; value: string } | null = null;
  const flush = () => {
    if (current && WANTED.has(current.name)) found.set(current.name, [...(found.get(current.name) ?? []), current.value]);
    current = null;
  };
  for (const line of source.toString("latin1", 0, end).split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && current) current.value += ` ${line.trim()}`;
    else {
      flush();
      const colon = line.indexOf(":");
      if (colon > 0) current = { name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1).trim() };
    }
  }
  flush();
  return found;
}

/** The header block with the empty line that ends it (the whole message when it has no body). */
export function headerBlock(source: Buffer): Buffer {
  const end = firstBlankLine(source);
  return end === Infinity ? source : source.subarray(0, end + (source[end] === 13 ? 4 : 2));
}

/** Where the header block ends; Infinity for a message that is all header. */
function firstBlankLine(source: Buffer): number {
  return Math.min(...[source.indexOf("\r\n\r\n"), source.indexOf("\n\n")].filter((i) => i >= 0));
}

export function scanHeaders(source: Buffer): HeaderFacts {
  const f = fields(source);
  const first = (name: string) => f.get(name)?.[0];
  const delivered = ["to", "delivered-to", "x-original-to", "envelope-to"].flatMap((name) => (f.get(name) ?? []).flatMap(addressesIn));
  return {
    referencedIds: [...messageIdsIn(first("in-reply-to")), ...messageIdsIn(first("references")).reverse()],
    isReport: /^multipart\/report\b/i.test(first("content-type") ?? ""),
    deliveredTo: [...new Set(delivered.map((a) => a.toLowerCase()))],
  };
}
