import "server-only";
/** Reads for Settings → Webhooks; admins only. */
import { requirePageUser } from "../auth/session";
import { getDb } from "../db/client";
import type { Db } from "../db/prisma";

export type WebhookEndpointSummary = {
  id: string;
  url: string;
  description: string;
  events: string[];
  disabledAt: Date | null;
  disabledReason: string | null;
  failingSince: Date | null;
  createdAt: Date;
};

const SUMMARY = { id: true, url: true, description: true, events: true, disabledAt: true, disabledReason: true, failingSince: true, createdAt: true } as const;

export async function listWebhookEndpoints(db: Db): Promise<WebhookEndpointSummary[]> {
  return db.webhookEndpoint.findMany({ orderBy: { createdAt: "asc" }, select: SUMMARY });
}

export async function listWebhookEndpointsForAdmin(): Promise<WebhookEndpointSummary[]> {
  await requirePageUser("admin");
  return listWebhookEndpoints(getDb());
}

export const DELIVERY_PAGE_SIZE = 25;

export type DeliveryLogEntry = {
  id: string;
  eventId: string;
  eventType: string;
  status: "pending" | "delivering" | "succeeded" | "failed";
  createdAt: Date;
  nextAttemptAt: Date | null;
  attempts: { number: number; startedAt: Date; statusCode: number | null; durationMs: number | null; error: string | null; responseExcerpt: string | null; nextAttemptAt: Date | null }[];
};

/** One endpoint's deliveries, newest first, DELIVERY_PAGE_SIZE a page, older than `before`. */
export async function listDeliveries(db: Db, endpointId: string, before?: string): Promise<{ items: DeliveryLogEntry[]; olderCursor: string | null }> {
  const cursor = before ? await db.webhookDelivery.findFirst({ where: { id: before, endpointId }, select: { createdAt: true, id: true } }) : null;
  const rows = await db.webhookDelivery.findMany({
    where: { endpointId, ...(cursor ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: DELIVERY_PAGE_SIZE + 1,
    select: {
      id: true,
      eventId: true,
      status: true,
      createdAt: true,
      nextAttemptAt: true,
      event: { select: { type: true } },
      log: { orderBy: { number: "asc" }, select: { number: true, startedAt: true, statusCode: true, durationMs: true, error: true, responseExcerpt: true, nextAttemptAt: true } },
    },
  });
  const page = rows.slice(0, DELIVERY_PAGE_SIZE);
  return {
    items: page.map(({ event, log, ...d }) => ({ ...d, eventType: event.type, attempts: log })),
    olderCursor: rows.length > DELIVERY_PAGE_SIZE ? page[page.length - 1].id : null,
  };
}

/** The endpoint and a page of its delivery log; null when it does not exist. */
export async function getEndpointLogForAdmin(endpointId: string, before?: string) {
  await requirePageUser("admin");
  const db = getDb();
  const endpoint = await db.webhookEndpoint.findUnique({ where: { id: endpointId }, select: SUMMARY });
  if (!endpoint) return null;
  return { endpoint, log: await listDeliveries(db, endpointId, before) };
}
