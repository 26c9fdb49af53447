import "server-only";
import { webhookSecret } from "../security/webhook-signature";

/**
 * Whether anything can tell the app that a contact replied. Replies arrive
 * only through the signed replies webhook (there is no mailbox polling), and
 * it refuses everything until WEBHOOK_SECRET is set. "Mark as replied" on a
 * contact's page works either way.
 */
export function replyDetectionConfigured(): boolean {
  return webhookSecret() !== null;
}
