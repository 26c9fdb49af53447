/**
 * The deliver-webhooks function on the local executor: the minute cron
 * drains the outbox, a run waits for a retry due within the minute (the 5 s
 * one) instead of leaving it to the next tick, and a wake-up event (a replay)
 * delivers without waiting for the cron.
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import { getDb } from "../../lib/db/client";
import { publishEvents } from "../../lib/events/publish";
import { createWebhookEndpoint, replayWebhookDelivery } from "../../lib/outbound-webhooks/endpoints";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { resetDb } from "../support/db";
import { makeContact, makeSequence } from "../support/factories";
import { startHarness, type Harness } from "../support/run-harness";
import { startReceiver } from "../support/webhook-receiver";

const SECOND = 1000;
let h: Harness;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const db = () => getDb();

beforeEach(async () => {
  process.env.STEPWISE_WEBHOOKS_ALLOW_PRIVATE = "1";
  h = await startHarness();
  await resetDb(db());
});
afterEach(async () => {
  await h.stop();
  await receiver?.close();
});

it("the cron delivers, and a failed attempt is retried 5 s later within the same run", async () => {
  receiver = await startReceiver([500]);
  await createWebhookEndpoint(db(), { url: receiver.url, events: ["contact.enrolled"] });
  const contact = await makeContact(db());
  const sequence = await makeSequence(db(), { steps: [{ delayAmount: 1, delayUnit: "days" }] });
  await enrollContact(db(), { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
  await h.executor.runUntilIdle();
  expect(receiver.received).toHaveLength(0);

  await h.executor.advance(60 * SECOND);
  expect(receiver.received).toHaveLength(1);
  await h.executor.advance(5 * SECOND);
  expect(receiver.received).toHaveLength(2);
  const delivery = await db().webhookDelivery.findFirstOrThrow({ include: { log: { orderBy: { number: "asc" } } } });
  expect(delivery).toMatchObject({ status: "succeeded", attempts: 2 });
  expect(delivery.log.map((a) => a.statusCode)).toEqual([500, 200]);
  expect(h.executor.runs({ functionId: "stepwise-deliver-webhooks", status: "failed" })).toEqual([]);
});

it("a replay's wake-up event delivers before the next cron tick", async () => {
  receiver = await startReceiver();
  await createWebhookEndpoint(db(), { url: receiver.url, events: ["contact.enrolled"] });
  const contact = await makeContact(db());
  const sequence = await makeSequence(db(), { steps: [{ delayAmount: 1, delayUnit: "days" }] });
  await enrollContact(db(), { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
  await h.executor.advance(60 * SECOND);
  expect(receiver.received).toHaveLength(1);

  const delivery = await db().webhookDelivery.findFirstOrThrow();
  await replayWebhookDelivery(db(), { deliveryId: delivery.id });
  await publishEvents([{ name: "stepwise/webhooks.wake", data: {} }]);
  await h.executor.runUntilIdle();
  expect(receiver.received).toHaveLength(2);
});
