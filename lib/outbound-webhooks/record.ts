/**
 * Writes an outbound webhook event into the outbox, inside the transaction
 * of the change it describes (so it exists iff the change committed). One
 * statement, and nothing is written unless an enabled endpoint subscribes
 * to `type` at that moment: an endpoint created or enabled later does not
 * receive earlier events. Enrollment events (contact.enrolled, step.sent,
 * step.failed, contact.exited) are written by a database trigger instead:
 * see prisma/migrations/*_outbound_webhooks.
 */
import { now as currentTime } from "../clock";
import type { Tx } from "../db/prisma";
import type { OutboundEventType } from "./event-types";

export type OutboundEventData = Record<string, string | number | boolean | null | undefined>;

export async function recordOutboundEvent(tx: Tx, type: OutboundEventType, data: OutboundEventData, at: Date = currentTime()): Promise<void> {
  const clean = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined && v !== null));
  await tx.$executeRaw`SELECT webhook_outbox_write(${type}, ${JSON.stringify(clean)}::jsonb, ${at.toISOString()}::timestamp(3))`;
}

/** recordOutboundEvent for several events of one type, in one statement (a batch of replies read from the mailbox). */
export async function recordOutboundEvents(tx: Tx, type: OutboundEventType, events: OutboundEventData[], at: Date = currentTime()): Promise<void> {
  if (events.length === 0) return;
  const data = events.map((event) => JSON.stringify(Object.fromEntries(Object.entries(event).filter(([, v]) => v !== undefined && v !== null))));
  await tx.$executeRaw`SELECT webhook_outbox_write(${type}, d.data, ${at.toISOString()}::timestamp(3)) FROM unnest(${data}::text[]::jsonb[]) WITH ORDINALITY AS d(data, n) ORDER BY d.n`;
}
