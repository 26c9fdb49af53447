"use server";

import { authedAction } from "@/lib/actions/safe-action";
import { userActor } from "@/lib/audit/actor";
import { recordAudit } from "@/lib/audit/record";
import { readWebhookSecret } from "@/lib/outbound-webhooks/endpoints";
import { ZWebhookEndpointRef } from "@/lib/validations/outbound-webhook";

/** Shows a webhook endpoint's signing secret; who looked is recorded. */
export const revealWebhookSecretAction = authedAction({ role: "admin", schema: ZWebhookEndpointRef }, async (input, { db, user }) => {
  const actor = await userActor(user);
  return db.$transaction(async (tx) => {
    const { secret, url } = await readWebhookSecret(tx as typeof db, input);
    await recordAudit(tx, actor, { action: "webhook.reveal_secret", objectType: "webhook", objectId: input.id, objectLabel: url });
    return { secret };
  });
});
