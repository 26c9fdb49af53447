/**
 * Inbound replies in one provider-neutral shape, validated by zod, plus the
 * adapters that turn a provider's payload into it (?provider=postmark).
 */
import { z } from "zod";
import { ZEmail } from "../contacts/email";
import { fieldErrorsOf, parsedOf, type Parsed } from "../validations/parse";
import { lowerCaseKeys } from "./auto-reply";
import { trimChar } from "../utils/trim-char";

export const ZInboundReply = z.object({
  from: ZEmail,
  to: z.string().max(1000).optional(),
  subject: z.string().max(2000).optional(),
  inReplyTo: z.string().max(1000).optional(),
  messageId: z.string().max(1000).optional(),
  headers: z.record(z.string().max(200), z.string().max(10_000)).optional(),
});
export type TInboundReply = z.infer<typeof ZInboundReply>;

export const REPLY_PROVIDERS = ["generic", "postmark"] as const;
export type ReplyProvider = (typeof REPLY_PROVIDERS)[number];

/** Postmark's inbound webhook (only the fields used; the rest is ignored). */
const ZPostmarkInbound = z.object({
  From: z.string().optional(),
  FromFull: z.object({ Email: z.string().optional() }).optional(),
  To: z.string().optional(),
  Subject: z.string().optional(),
  MessageID: z.string().optional(),
  Headers: z.array(z.object({ Name: z.string(), Value: z.string() })).optional(),
});

export type ParsedReply = Parsed<TInboundReply>;

function fromZod(result: z.ZodSafeParseResult<TInboundReply>): ParsedReply {
  const out = parsedOf(result);
  return out.ok ? { ok: true, data: withHeaderFallbacks(out.data) } : out;
}

/** "Ada <ada@example.com>" -> "ada@example.com"; a bare address is kept. */
function addressOf(value: string | undefined): string | undefined {
  const bracketed = value?.match(/<([^<>]+)>\s*$/);
  return bracketed ? bracketed[1] : value;
}

/** Header names lower-cased; In-Reply-To and Message-ID filled from them when not given. */
function withHeaderFallbacks(reply: TInboundReply): TInboundReply {
  const headers = reply.headers ? lowerCaseKeys(reply.headers) : undefined;
  return {
    ...reply,
    headers,
    inReplyTo: reply.inReplyTo ?? headers?.["in-reply-to"],
    messageId: reply.messageId ?? headers?.["message-id"],
  };
}

/** Validates an inbound webhook body from `provider` into the neutral shape. */
export function parseInboundReply(body: unknown, provider: ReplyProvider): ParsedReply {
  if (provider === "generic") return fromZod(ZInboundReply.safeParse(body));

  const postmark = ZPostmarkInbound.safeParse(body);
  if (!postmark.success) return { ok: false, fieldErrors: fieldErrorsOf(postmark.error) };
  const p = postmark.data;
  const headers: Record<string, string> = {};
  // The first of a repeated header wins: the receiving provider's own Authentication-Results comes first.
  for (const { Name, Value } of p.Headers ?? []) headers[Name.toLowerCase()] ??= Value;
  return fromZod(
    ZInboundReply.safeParse({
      from: addressOf(p.FromFull?.Email || p.From),
      to: p.To,
      subject: p.Subject,
      // Postmark's MessageID is its own id; the RFC 5322 one is in the headers.
      messageId: headers["message-id"] ?? p.MessageID,
      headers,
    }),
  );
}

/** "<a.b@host>" -> "a.b@host": Message-IDs are stored without brackets. */
export function stripAngleBrackets(messageId: string): string {
  return trimChar(trimChar(messageId.trim(), "<", "start"), ">", "end").trim();
}

/**
 * The Message-IDs in an In-Reply-To or References value, without brackets.
 * Both may list several ("<a@x> <b@y>"); a bare id without brackets is
 * accepted too, as some providers strip them.
 */
export function messageIdsIn(value: string | undefined): string[] {
  if (!value) return [];
  const bracketed = [...value.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]);
  if (bracketed.length > 0) return bracketed;
  const bare = stripAngleBrackets(value);
  return bare && !/\s/.test(bare) ? [bare] : [];
}
