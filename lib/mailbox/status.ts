import "server-only";
import type { Db } from "../db/prisma";
import { webhookSecret } from "../security/webhook-signature";

/** A connected mailbox, or the inbound webhook secret: something can see replies. */
export async function replyDetectionConfigured(db: Db): Promise<boolean> {
  if (webhookSecret()) return true;
  return (await db.mailbox.count()) > 0;
}
