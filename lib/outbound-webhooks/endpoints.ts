/**
 * Managing webhook endpoints. Plain functions on the database client (the
 * actions wrap them in an audited transaction); none starts a transaction.
 */
import { now as currentTime } from "../clock";
import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import { parseOrThrow } from "../validations/parse";
import {
  ZCreateWebhookEndpoint,
  ZSetWebhookEnabled,
  ZUpdateWebhookEndpoint,
  ZWebhookDeliveryRef,
  ZWebhookEndpointRef,
  type TCreateWebhookEndpoint,
  type TUpdateWebhookEndpoint,
} from "../validations/outbound-webhook";
import { urlProblem } from "./address-policy";
import { generateWebhookSecret } from "./signature";

export const DISABLED_BY_ADMIN = "Disabled by an admin";

async function refuseInwardUrl(url: string): Promise<void> {
  const problem = await urlProblem(url);
  if (problem) throw new AppError("validation", "Please correct the highlighted fields.", { url: [problem] });
}

async function existing(db: Db, id: string) {
  const endpoint = await db.webhookEndpoint.findUnique({ where: { id }, select: { id: true, disabledAt: true } });
  if (!endpoint) throw new AppError("not_found", "Webhook endpoint not found.");
  return endpoint;
}

/** Registers an endpoint with a new secret; it receives events of changes made from now on. */
export async function createWebhookEndpoint(db: Db, input: TCreateWebhookEndpoint, createdById: string | null = null): Promise<{ id: string; secret: string }> {
  const { url, description, events } = parseOrThrow(ZCreateWebhookEndpoint, input);
  await refuseInwardUrl(url);
  const secret = generateWebhookSecret();
  const endpoint = await db.webhookEndpoint.create({ data: { url, description, events, secret, createdById, createdAt: currentTime() }, select: { id: true } });
  return { id: endpoint.id, secret };
}

/** Changes an endpoint's URL, description and events; deliveries already queued keep going to it. */
export async function updateWebhookEndpoint(db: Db, input: TUpdateWebhookEndpoint): Promise<{ id: string }> {
  const { id, url, description, events } = parseOrThrow(ZUpdateWebhookEndpoint, input);
  await existing(db, id);
  await refuseInwardUrl(url);
  await db.webhookEndpoint.update({ where: { id }, data: { url, description, events } });
  return { id };
}

/** Enables or disables an endpoint. Disabling fails its waiting deliveries (Replay can send them later). */
export async function setWebhookEndpointEnabled(db: Db, input: { id: string; enabled: boolean }): Promise<{ enabled: boolean }> {
  const { id, enabled } = parseOrThrow(ZSetWebhookEnabled, input);
  const endpoint = await existing(db, id);
  if (enabled === !endpoint.disabledAt) return { enabled };
  if (enabled) {
    await db.webhookEndpoint.update({ where: { id }, data: { disabledAt: null, disabledReason: null, failingSince: null } });
  } else {
    await db.webhookEndpoint.update({ where: { id }, data: { disabledAt: currentTime(), disabledReason: DISABLED_BY_ADMIN } });
    await db.webhookDelivery.updateMany({ where: { endpointId: id, status: "pending" }, data: { status: "failed", nextAttemptAt: null } });
  }
  return { enabled };
}

/** Deletes an endpoint with its delivery log. */
export async function deleteWebhookEndpoint(db: Db, input: { id: string }): Promise<{ deleted: true }> {
  const { id } = parseOrThrow(ZWebhookEndpointRef, input);
  await existing(db, id);
  await db.webhookEndpoint.delete({ where: { id } });
  return { deleted: true };
}

/** The endpoint's signing secret. */
export async function readWebhookSecret(db: Db, input: { id: string }): Promise<{ secret: string; url: string }> {
  const { id } = parseOrThrow(ZWebhookEndpointRef, input);
  const endpoint = await db.webhookEndpoint.findUnique({ where: { id }, select: { secret: true, url: true } });
  if (!endpoint) throw new AppError("not_found", "Webhook endpoint not found.");
  return endpoint;
}

/** Replaces the signing secret at once: attempts from now on are signed with the new one. */
export async function rotateWebhookSecret(db: Db, input: { id: string }): Promise<{ secret: string }> {
  const { id } = parseOrThrow(ZWebhookEndpointRef, input);
  await existing(db, id);
  const secret = generateWebhookSecret();
  await db.webhookEndpoint.update({ where: { id }, data: { secret } });
  return { secret };
}

/**
 * Sends one delivery once more, as soon as the delivery job runs (no
 * automatic retries after it; one waiting for a retry is tried now).
 * Refused while it is in flight or when its endpoint is disabled.
 */
export async function replayWebhookDelivery(db: Db, input: { deliveryId: string }): Promise<{ endpointId: string; eventId: string }> {
  const { deliveryId } = parseOrThrow(ZWebhookDeliveryRef, input);
  const delivery = await db.webhookDelivery.findUnique({ where: { id: deliveryId }, select: { status: true, attempts: true, endpointId: true, eventId: true, endpoint: { select: { disabledAt: true } } } });
  if (!delivery) throw new AppError("not_found", "Delivery not found.");
  if (delivery.endpoint.disabledAt) throw new AppError("conflict", "Enable the endpoint before replaying its deliveries.");
  if (delivery.status === "delivering") throw new AppError("conflict", "This delivery is being sent right now.");
  const { count } = await db.webhookDelivery.updateMany({
    where: { id: deliveryId, status: delivery.status, attempts: delivery.attempts },
    // A delivery waiting for a retry is sent now and keeps its remaining retries.
    data: { status: "pending", nextAttemptAt: currentTime(), ...(delivery.status === "pending" ? {} : { lastAttempt: delivery.attempts + 1 }) },
  });
  if (count === 0) throw new AppError("conflict", "This delivery changed meanwhile. Please try again.");
  return { endpointId: delivery.endpointId, eventId: delivery.eventId };
}
