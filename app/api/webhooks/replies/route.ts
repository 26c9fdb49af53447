/**
 * Inbound replies from the mail provider. Signed (x-stepwise-signature, see
 * docs/webhooks.md); ?provider=postmark accepts Postmark's inbound JSON.
 */
import { z } from "zod";
import { now } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { parseInboundReply, REPLY_PROVIDERS } from "@/lib/replies/normalize";
import { recordInboundReply } from "@/lib/replies/record-reply";
import { clientIp, rateLimit, RATE_LIMITS, tooManyRequests } from "@/lib/security/rate-limit";
import { readSignedWebhook } from "@/lib/security/webhook-signature";

const ZProvider = z.enum(REPLY_PROVIDERS, { message: `Must be one of: ${REPLY_PROVIDERS.join(", ")}` }).default("generic");

const invalid = (fieldErrors: Record<string, string[]>) =>
  Response.json({ error: { code: "validation", message: "The webhook body is not valid.", fieldErrors } }, { status: 422 });

export async function POST(request: Request): Promise<Response> {
  try {
    const signed = await readSignedWebhook(request, now());
    if (!signed.ok) return signed.response;

    const db = getDb();
    const limit = await rateLimit(db, { key: `webhook:replies:${clientIp(request.headers)}`, ...RATE_LIMITS.webhookIp });
    if (!limit.allowed) return tooManyRequests(limit);

    const provider = ZProvider.safeParse(new URL(request.url).searchParams.get("provider") ?? undefined);
    if (!provider.success) return invalid({ provider: provider.error.issues.map((i) => i.message) });
    let body: unknown;
    try {
      body = JSON.parse(signed.rawBody);
    } catch {
      return Response.json({ error: { code: "validation", message: "The body must be JSON." } }, { status: 400 });
    }
    const parsed = parseInboundReply(body, provider.data);
    if (!parsed.ok) return invalid(parsed.fieldErrors);

    const result = await recordInboundReply(db, parsed.reply, { provider: provider.data });
    return Response.json({ ok: true, ...result });
  } catch (error) {
    console.error("[webhooks] reply failed", error);
    return Response.json({ error: { code: "internal", message: "Something went wrong." } }, { status: 500 });
  }
}
