/**
 * Inbound replies from the mail provider. Signed (x-stepwise-signature, see
 * docs/webhooks.md); ?provider=postmark accepts Postmark's inbound JSON.
 */
import { parseInboundReply, REPLY_PROVIDERS } from "@/lib/replies/normalize";
import { recordInboundReply } from "@/lib/replies/record-reply";
import { signedWebhookRoute } from "@/lib/webhooks/signed-webhook-route";

export const POST = signedWebhookRoute({
  name: "replies",
  providers: REPLY_PROVIDERS,
  parse: parseInboundReply,
  handle: (db, reply, provider) => recordInboundReply(db, reply, { provider }),
});
