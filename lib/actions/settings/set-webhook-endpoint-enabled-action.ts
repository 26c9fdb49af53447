"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { inAuditedTransaction } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { setWebhookEndpointEnabled } from "@/lib/outbound-webhooks/endpoints";
import { ZSetWebhookEnabled } from "@/lib/validations/outbound-webhook";

/** Enables or disables a webhook endpoint. */
export const setWebhookEndpointEnabledAction = authedAction({ role: "admin", schema: ZSetWebhookEnabled }, async (input, { db, user }) => {
  const action = input.enabled ? "webhook.enable" : "webhook.disable";
  const result = await inAuditedTransaction(db, await userActor(user), action, { type: "webhook", id: input.id }, (tx) => setWebhookEndpointEnabled(tx, input));
  revalidatePath("/settings/webhooks");
  return result;
});
