import "server-only";
import type { Db } from "../db/prisma";
import { webhookSecret } from "../security/webhook-signature";

/**
 * Whether anything can tell the app that a contact replied: the signed
 * replies webhook (it refuses everything until WEBHOOK_SECRET is set) or a
 * connected mailbox (lib/mailbox). "Mark as replied" on a contact's page
 * works either way.
 */
export async function replyDetectionConfigured(db: Pick<Db, "mailbox">): Promise<boolean> {
  if (webhookSecret() !== null) return true;
  return (await db.mailbox.count()) > 0;
}
