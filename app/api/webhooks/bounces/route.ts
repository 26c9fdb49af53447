/**
 * Bounces and spam complaints from the mail provider. Signed
 * (x-stepwise-signature, see docs/webhooks.md); ?provider=postmark accepts
 * Postmark's bounce and spam-complaint webhooks.
 */
import { BOUNCE_PROVIDERS, markBounced, parseBounceWebhook } from "@/lib/contacts/bounce";
import { signedWebhookRoute } from "@/lib/webhooks/signed-webhook-route";

export const POST = signedWebhookRoute({
  name: "bounces",
  providers: BOUNCE_PROVIDERS,
  parse: parseBounceWebhook,
  async handle(db, { email, type, detail }) {
    // A soft bounce is temporary: the next send may well arrive.
    if (type === "soft") return { ignored: true };
    const result = await markBounced(db, { email, kind: type, detail });
    return { ignored: false, matched: result.outcome !== "no_contact", changed: result.outcome === "bounced", exited: result.exited.length };
  },
});
