/**
 * Bounces and spam complaints from the mail provider. Signed
 * (x-stepwise-signature, see docs/webhooks.md); ?provider=postmark accepts
 * Postmark's bounce and spam-complaint webhooks.
 */
import { z } from "zod";
import { now } from "@/lib/clock";
import { BOUNCE_PROVIDERS, markBounced, parseBounceWebhook } from "@/lib/contacts/bounce";
import { getDb } from "@/lib/db/client";
import { clientIp, rateLimit, RATE_LIMITS, tooManyRequests } from "@/lib/security/rate-limit";
import { readSignedWebhook } from "@/lib/security/webhook-signature";

const ZProvider = z.enum(BOUNCE_PROVIDERS, { message: `Must be one of: ${BOUNCE_PROVIDERS.join(", ")}` }).default("generic");

const invalid = (fieldErrors: Record<string, string[]>) =>
  Response.json({ error: { code: "validation", message: "The webhook body is not valid.", fieldErrors } }, { status: 422 });

export async function POST(request: Request): Promise<Response> {
  try {
    const signed = await readSignedWebhook(request, now());
    if (!signed.ok) return signed.response;

    const db = getDb();
    const limit = await rateLimit(db, { key: `webhook:bounces:${clientIp(request.headers)}`, ...RATE_LIMITS.webhookIp });
    if (!limit.allowed) return tooManyRequests(limit);

    const provider = ZProvider.safeParse(new URL(request.url).searchParams.get("provider") ?? undefined);
    if (!provider.success) return invalid({ provider: provider.error.issues.map((i) => i.message) });
    let body: unknown;
    try {
      body = JSON.parse(signed.rawBody);
    } catch {
      return Response.json({ error: { code: "validation", message: "The body must be JSON." } }, { status: 400 });
    }
    const parsed = parseBounceWebhook(body, provider.data);
    if (!parsed.ok) return invalid(parsed.fieldErrors);

    const { email, type, detail } = parsed.data;
    // A soft bounce is temporary: the next send may well arrive.
    if (type === "soft") return Response.json({ ok: true, ignored: true });
    const result = await markBounced(db, { email, kind: type, detail });
    return Response.json({ ok: true, ignored: false, matched: result.outcome !== "no_contact", changed: result.outcome === "bounced", exited: result.exited.length });
  } catch (error) {
    console.error("[webhooks] bounce failed", error);
    return Response.json({ error: { code: "internal", message: "Something went wrong." } }, { status: 500 });
  }
}
