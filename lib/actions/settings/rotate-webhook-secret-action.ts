"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { inAuditedTransaction } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { rotateWebhookSecret } from "@/lib/outbound-webhooks/endpoints";
import { ZWebhookEndpointRef } from "@/lib/validations/outbound-webhook";

/** Replaces a webhook endpoint's signing secret and returns the new one. */
export const rotateWebhookSecretAction = authedAction({ role: "admin", schema: ZWebhookEndpointRef }, async (input, { db, user }) => {
  const result = await inAuditedTransaction(db, await userActor(user), "webhook.rotate_secret", { type: "webhook", id: input.id }, (tx) => rotateWebhookSecret(tx, input));
  revalidatePath("/settings/webhooks");
  return result;
});
