"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { inAuditedTransaction } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { updateWebhookEndpoint } from "@/lib/outbound-webhooks/endpoints";
import { ZUpdateWebhookEndpoint } from "@/lib/validations/outbound-webhook";

/** Changes a webhook endpoint's URL, description and subscribed events. */
export const updateWebhookEndpointAction = authedAction({ role: "admin", schema: ZUpdateWebhookEndpoint }, async (input, { db, user }) => {
  await inAuditedTransaction(db, await userActor(user), "webhook.edit", { type: "webhook", id: input.id }, (tx) => updateWebhookEndpoint(tx, input));
  revalidatePath("/settings/webhooks");
  return { id: input.id };
});
