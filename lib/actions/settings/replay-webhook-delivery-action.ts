"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { userActor } from "@/lib/audit/actor";
import { recordAudit } from "@/lib/audit/record";
import { publishEvents } from "@/lib/events/publish";
import { replayWebhookDelivery } from "@/lib/outbound-webhooks/endpoints";
import { ZWebhookDeliveryRef } from "@/lib/validations/outbound-webhook";

/** Sends one delivery of the log again, once. */
export const replayWebhookDeliveryAction = authedAction({ role: "admin", schema: ZWebhookDeliveryRef }, async (input, { db, user }) => {
  const actor = await userActor(user);
  const { endpointId, eventId } = await db.$transaction(async (tx) => {
    const replayed = await replayWebhookDelivery(tx as typeof db, input);
    const endpoint = await tx.webhookEndpoint.findUniqueOrThrow({ where: { id: replayed.endpointId }, select: { url: true } });
    await recordAudit(tx, actor, { action: "webhook.replay", objectType: "webhook", objectId: replayed.endpointId, objectLabel: endpoint.url, detail: `event ${replayed.eventId}` });
    return replayed;
  });
  // After the commit: the delivery job runs now rather than at the next minute.
  await publishEvents([{ name: "stepwise/webhooks.wake", data: {} }]);
  revalidatePath(`/settings/webhooks/${endpointId}`);
  return { replayed: eventId };
});
