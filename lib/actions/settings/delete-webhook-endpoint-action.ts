"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { inAuditedTransaction } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { deleteWebhookEndpoint } from "@/lib/outbound-webhooks/endpoints";
import { ZWebhookEndpointRef } from "@/lib/validations/outbound-webhook";

/** Deletes a webhook endpoint and its delivery log. */
export const deleteWebhookEndpointAction = authedAction({ role: "admin", schema: ZWebhookEndpointRef }, async (input, { db, user }) => {
  const result = await inAuditedTransaction(db, await userActor(user), "webhook.delete", { type: "webhook", id: input.id }, (tx) => deleteWebhookEndpoint(tx, input));
  revalidatePath("/settings/webhooks");
  return result;
});
