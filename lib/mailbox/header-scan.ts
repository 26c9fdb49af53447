/**
 * What a message's header block alone tells the reader: the Message-IDs it
 * refers to, whether it is a report (a possible bounce), and the addresses
 * it was delivered to (a VERP return path). Most of an inbox is none of
 * ours; deciding that from a few header fields spares parsing each message
 * (~5 µs a header block). Only the fields below are used, and none of them
 * needs MIME decoding: Message-IDs and addr-specs are ASCII.
 */
import libmime from "libmime";
import { messageIdsIn } from "../replies/normalize";

export type HeaderFacts = {
  /** In-Reply-To then References (newest first), without brackets. */
  referencedIds: string[];
  /** multipart/report: a delivery status notification, maybe. */
  isReport: boolean;
  /** Addresses in To, Delivered-To, X-Original-To and Envelope-To, lower-cased. */
  deliveredTo: string[];
};

/** The address-like words of a header value (split, not matched: linear on hostile input). */
function addressesIn(value: string): string[] {
  return value.split(/[\s<>,;:"()]+/).filter((word) => word.indexOf("@") > 0 && word.indexOf("@") === word.lastIndexOf("@") && !word.endsWith("@"));
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
  // The header block's fields, unfolded, by lower-cased name (libmime, as parse-message.ts reads them); bytes as latin1: the fields read here are ASCII.
  const f = libmime.decodeHeaders(headerBlock(source).toString("latin1"), { skipPrototypeKeys: true });
  const first = (name: string) => f[name]?.[0];
  const delivered = ["to", "delivered-to", "x-original-to", "envelope-to"].flatMap((name) => (f[name] ?? []).flatMap(addressesIn));
  return {
    referencedIds: [...messageIdsIn(first("in-reply-to")), ...messageIdsIn(first("references")).reverse()],
    isReport: /^multipart\/report\b/i.test(first("content-type") ?? ""),
    deliveredTo: [...new Set(delivered.map((a) => a.toLowerCase()))],
  };
}
