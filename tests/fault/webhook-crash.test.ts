/**
 * Outbound webhooks across a crash: the process delivering a webhook is
 * killed (SIGKILL) while its request is in flight, after the attempt was
 * claimed and committed. Nothing is lost and no attempt is sent twice: the
 * lease expires, the attempt is logged as abandoned (outcome unknown), and
 * the next attempt delivers the same event (same webhook-id) once.
 */
import { spawn } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { setClock } from "../../lib/clock";
import { drainWebhooks } from "../../lib/outbound-webhooks/drain";
import { createWebhookEndpoint } from "../../lib/outbound-webhooks/endpoints";
import { ATTEMPT_LEASE_MS } from "../../lib/outbound-webhooks/retry-schedule";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";
import { startReceiver } from "../support/webhook-receiver";
import { testDatabaseUrl } from "../support/database-url";

process.env.DATABASE_URL = testDatabaseUrl();
const db = testDb();
const events = recordEvents();

beforeEach(async () => {
  await resetDb(db);
  process.env.STEPWISE_WEBHOOKS_ALLOW_PRIVATE = "1";
});
afterEach(() => {
  setClock(null);
  events.restore();
});

function drainInChild() {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "tests/support/webhook-drain-child.ts"], {
    env: { ...process.env, STEPWISE_WEBHOOKS_ALLOW_PRIVATE: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
  return { child, exited };
}

describe("a delivery process killed mid-request", () => {
  it("loses nothing and sends each attempt once: attempt 1 is abandoned, attempt 2 delivers the same event", async () => {
    const receiver = await startReceiver(["hold", 200]);
    try {
      await createWebhookEndpoint(db, { url: receiver.url, events: ["contact.enrolled"] });
      const contact = await makeContact(db);
      const sequence = await makeSequence(db);
      expect((await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" })).outcome).toBe("enrolled");

      const { child, exited } = drainInChild();
      await receiver.waitFor(1);
      child.kill("SIGKILL");
      expect(await exited).toBe("SIGKILL");

      // Before the lease ends another drain sends nothing: the attempt may still be in flight.
      expect(await drainWebhooks(db)).toMatchObject({ attempted: 0, abandoned: 0 });
      const claimed = await db.webhookDelivery.findFirstOrThrow({ include: { log: true } });
      expect(claimed).toMatchObject({ status: "delivering", attempts: 1 });
      expect(claimed.log).toEqual([expect.objectContaining({ number: 1, finishedAt: null })]);

      // After it: logged as abandoned, retried on the schedule (5 s), delivered once.
      const t0 = Date.now() + ATTEMPT_LEASE_MS + 1_000;
      setClock({ now: () => t0 });
      expect(await drainWebhooks(db)).toMatchObject({ attempted: 0, abandoned: 1 });
      setClock({ now: () => t0 + 5_000 });
      expect(await drainWebhooks(db)).toMatchObject({ attempted: 1, succeeded: 1 });
      setClock({ now: () => t0 + 3_600_000 });
      expect(await drainWebhooks(db)).toMatchObject({ attempted: 0, abandoned: 0 });

      expect(receiver.received).toHaveLength(2);
      expect(receiver.received[1].headers["webhook-id"]).toBe(receiver.received[0].headers["webhook-id"]);
      expect(receiver.received[1].body).toBe(receiver.received[0].body);
      const delivery = await db.webhookDelivery.findFirstOrThrow({ include: { log: { orderBy: { number: "asc" } } } });
      expect(delivery).toMatchObject({ status: "succeeded", attempts: 2 });
      expect(delivery.log.map((a) => [a.number, a.statusCode, a.error?.slice(0, 9) ?? null])).toEqual([
        [1, null, "abandoned"],
        [2, 200, null],
      ]);
    } finally {
      await receiver.close();
    }
  });
});
