"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { inAuditedTransaction } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { createWebhookEndpoint } from "@/lib/outbound-webhooks/endpoints";
import { ZCreateWebhookEndpoint } from "@/lib/validations/outbound-webhook";

/** Registers a webhook endpoint; its signing secret is returned for the admin to copy. */
export const createWebhookEndpointAction = authedAction({ role: "admin", schema: ZCreateWebhookEndpoint }, async (input, { db, user }) => {
  const created = (r: { id: string }) => ({ type: "webhook" as const, id: r.id });
  const { id, secret } = await inAuditedTransaction(db, await userActor(user), "webhook.create", created, (tx) => createWebhookEndpoint(tx, input, user.id));
  revalidatePath("/settings/webhooks");
  return { id, secret };
});
