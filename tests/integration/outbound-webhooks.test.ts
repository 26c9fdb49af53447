/**
 * Outbound webhooks end to end against a real receiver on 127.0.0.1: the
 * outbox is written with the change (and only then), deliveries are signed
 * per Standard Webhooks (checked by a verifier written here from the spec),
 * retried on the schedule with every attempt logged, replayable, and never
 * sent to disabled endpoints or for unsubscribed types.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { setClock } from "../../lib/clock";
import { markBounced } from "../../lib/contacts/bounce";
import { unsubscribeContact } from "../../lib/contacts/unsubscribe";
import { AppError } from "../../lib/errors";
import { drainWebhooks } from "../../lib/outbound-webhooks/drain";
import { createWebhookEndpoint, replayWebhookDelivery, setWebhookEndpointEnabled } from "../../lib/outbound-webhooks/endpoints";
import type { OutboundEventType } from "../../lib/outbound-webhooks/event-types";
import { postWebhook } from "../../lib/outbound-webhooks/http-post";
import { recordOutboundEvent } from "../../lib/outbound-webhooks/record";
import { advanceEnrollment } from "../../lib/sequences/run-step";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { enrollMany } from "../../lib/sequences/enroll-many";
import { endLiveEnrollments, exitContact } from "../../lib/sequences/exit-contact";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";
import { startReceiver, type Received } from "../support/webhook-receiver";
import { testDatabaseUrl } from "../support/database-url";

process.env.DATABASE_URL = testDatabaseUrl();
process.env.STEPWISE_SIGNING_SECRET ??= "outbound-webhooks-test-secret-0123456789";
const db = testDb();
const events = recordEvents();
let receivers: Awaited<ReturnType<typeof startReceiver>>[] = [];

beforeEach(async () => {
  await resetDb();
  process.env.STEPWISE_WEBHOOKS_ALLOW_PRIVATE = "1";
});
afterEach(async () => {
  setClock(null);
  await Promise.all(receivers.map((r) => r.close()));
  receivers = [];
});
afterAll(() => events.restore());

async function receiver(script: Parameters<typeof startReceiver>[0] = []) {
  const r = await startReceiver(script);
  receivers.push(r);
  return r;
}

async function endpoint(url: string, types: OutboundEventType[]) {
  return createWebhookEndpoint(db, { url, events: types, description: "test" });
}

/** A fixed clock that tests move forward. */
function manualClock(start = Date.now()) {
  let t = start;
  setClock({ now: () => t });
  return { advance: (ms: number) => void (t += ms), now: () => t };
}

/**
 * Standard Webhooks verification, written from the spec
 * (github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md):
 * strip "whsec_", base64-decode the key, HMAC-SHA256 over
 * "<webhook-id>.<webhook-timestamp>.<raw body>", base64; the header holds
 * space-separated "v1,<sig>" entries; the timestamp must be recent.
 */
function verifyStandardWebhook(secret: string, request: Received, nowSeconds: number, toleranceSeconds = 300): boolean {
  const id = request.headers["webhook-id"];
  const timestamp = request.headers["webhook-timestamp"];
  const signatures = request.headers["webhook-signature"];
  if (typeof id !== "string" || typeof timestamp !== "string" || typeof signatures !== "string") return false;
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${request.body}`).digest();
  return signatures.split(" ").some((entry) => {
    const [version, value] = entry.split(",");
    if (version !== "v1" || !value) return false;
    const given = Buffer.from(value, "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

async function enrolled(sequenceSteps: { delayAmount: number; delayUnit: "minutes" | "days" }[] = [{ delayAmount: 0, delayUnit: "minutes" }]) {
  const contact = await makeContact(db, { email: "ada@example.com" });
  const sequence = await makeSequence(db, { name: "Onboarding", steps: sequenceSteps });
  const result = await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
  if (result.outcome !== "enrolled") throw new Error(result.outcome);
  return { contact, sequence, enrollmentId: result.enrollmentId };
}

describe("signing", () => {
  it("a delivery verifies with an independent Standard Webhooks verifier, and not with another secret or a changed body", async () => {
    const r = await receiver();
    const { secret } = await endpoint(r.url, ["contact.enrolled"]);
    const { contact, sequence, enrollmentId } = await enrolled();
    expect(await drainWebhooks(db)).toMatchObject({ attempted: 1, succeeded: 1 });

    expect(r.received).toHaveLength(1);
    const [request] = r.received;
    const now = Math.floor(Date.now() / 1000);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(verifyStandardWebhook(secret, request, now)).toBe(true);
    const otherSecret = `${secret.slice(0, 10)}${secret[10] === "A" ? "B" : "A"}${secret.slice(11)}`;
    expect(verifyStandardWebhook(otherSecret, request, now)).toBe(false);
    expect(verifyStandardWebhook(secret, { ...request, body: request.body.replace("ada@", "eve@") }, now)).toBe(false);
    expect(verifyStandardWebhook(secret, request, now + 3600)).toBe(false);

    expect(request.headers["webhook-id"]).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(JSON.parse(request.body)).toEqual({
      type: "contact.enrolled",
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      data: { contactId: contact.id, email: "ada@example.com", sequenceId: sequence.id, sequenceName: "Onboarding", enrollmentId, source: "manual" },
    });
  });
});

describe("retries", () => {
  it("a receiver failing twice then succeeding gets the event exactly three times, and the log shows three attempts", async () => {
    const clock = manualClock();
    const r = await receiver([500, 503]);
    const { id } = await endpoint(r.url, ["contact.enrolled"]);
    await enrolled();

    expect(await drainWebhooks(db)).toMatchObject({ attempted: 1, succeeded: 0 });
    // Not due yet: nothing is sent before the backoff.
    clock.advance(4_000);
    expect(await drainWebhooks(db)).toMatchObject({ attempted: 0 });
    clock.advance(1_000);
    expect(await drainWebhooks(db)).toMatchObject({ attempted: 1, succeeded: 0 });
    clock.advance(5 * 60_000 - 1);
    expect(await drainWebhooks(db)).toMatchObject({ attempted: 0 });
    clock.advance(1);
    expect(await drainWebhooks(db)).toMatchObject({ attempted: 1, succeeded: 1 });
    clock.advance(24 * 3_600_000);
    expect(await drainWebhooks(db)).toMatchObject({ attempted: 0, nextDueAt: null });

    expect(r.received).toHaveLength(3);
    expect(new Set(r.received.map((q) => q.headers["webhook-id"])).size).toBe(1);
    expect(new Set(r.received.map((q) => q.body)).size).toBe(1);
    const delivery = await db.webhookDelivery.findFirstOrThrow({ where: { endpointId: id }, include: { log: { orderBy: { number: "asc" } } } });
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 3, lastStatusCode: 200 });
    expect(delivery.log.map((a) => [a.number, a.statusCode, a.error])).toEqual([
      [1, 500, "HTTP 500"],
      [2, 503, "HTTP 503"],
      [3, 200, null],
    ]);
    expect(delivery.log[0].responseExcerpt).toBe("failing with 500");
    expect(delivery.log[0].nextAttemptAt?.getTime()).toBe(delivery.log[0].finishedAt!.getTime() + 5_000);
    expect(delivery.log[2].nextAttemptAt).toBeNull();
    expect(delivery.log.every((a) => a.durationMs !== null && a.durationMs >= 0)).toBe(true);
    // A success ends the endpoint's failing streak.
    expect(await db.webhookEndpoint.findUniqueOrThrow({ where: { id } })).toMatchObject({ failingSince: null, disabledAt: null });
  });

  it("an endpoint failing for 24 hours is disabled, its waiting deliveries end, and the audit log says so", async () => {
    const clock = manualClock();
    const r = await receiver(Array(20).fill(500));
    const { id } = await endpoint(r.url, ["contact.enrolled"]);
    await enrolled();
    for (let i = 0; i < 10; i++) {
      await drainWebhooks(db);
      const next = await db.webhookDelivery.findFirst({ where: { status: "pending" }, select: { nextAttemptAt: true } });
      if (!next?.nextAttemptAt) break;
      clock.advance(next.nextAttemptAt.getTime() - clock.now());
    }
    const stored = await db.webhookEndpoint.findUniqueOrThrow({ where: { id } });
    expect(stored.disabledAt).not.toBeNull();
    expect(stored.disabledAt!.getTime() - stored.failingSince!.getTime()).toBeGreaterThanOrEqual(24 * 3_600_000);
    expect(stored.disabledReason).toBe("Every delivery failed for 24 hours");
    // Attempts 1..7 span 17.6 h; the 8th (27.6 h) is the first one a day after the first failure.
    expect(r.received).toHaveLength(8);
    expect(await db.webhookDelivery.findFirstOrThrow({ where: { endpointId: id } })).toMatchObject({ status: "failed" });
    expect(await db.auditEvent.findMany({ select: { action: true, actorType: true, objectId: true } })).toEqual([{ action: "webhook.auto_disable", actorType: "system", objectId: id }]);
  });

  it("a timeout is a failed attempt", async () => {
    const r = await receiver(["hold"]);
    await endpoint(r.url, ["contact.enrolled"]);
    await enrolled();
    expect(await drainWebhooks(db, { timeoutMs: 300 })).toMatchObject({ attempted: 1, succeeded: 0 });
    const [attempt] = await db.webhookAttempt.findMany();
    expect(attempt).toMatchObject({ number: 1, statusCode: null, error: "timed out after 300 ms" });
  });
});

describe("replay", () => {
  it("re-sends a delivered event once, with the same id, and logs it as the next attempt", async () => {
    const r = await receiver();
    const { id } = await endpoint(r.url, ["contact.enrolled"]);
    await enrolled();
    await drainWebhooks(db);
    const delivery = await db.webhookDelivery.findFirstOrThrow({ where: { endpointId: id } });

    await replayWebhookDelivery(db, { deliveryId: delivery.id });
    await expect(replayWebhookDelivery(db, { deliveryId: delivery.id })).resolves.toBeTruthy(); // still pending: sent now, once
    expect(await drainWebhooks(db)).toMatchObject({ attempted: 1, succeeded: 1 });
    expect(await drainWebhooks(db)).toMatchObject({ attempted: 0 });
    expect(r.received).toHaveLength(2);
    expect(r.received[1].headers["webhook-id"]).toBe(r.received[0].headers["webhook-id"]);
    expect(await db.webhookAttempt.count({ where: { deliveryId: delivery.id } })).toBe(2);
  });

  it("a failed replay is not retried automatically", async () => {
    const clock = manualClock();
    const r = await receiver([200, 500]);
    await endpoint(r.url, ["contact.enrolled"]);
    await enrolled();
    await drainWebhooks(db);
    const delivery = await db.webhookDelivery.findFirstOrThrow();
    await replayWebhookDelivery(db, { deliveryId: delivery.id });
    await drainWebhooks(db);
    clock.advance(3 * 24 * 3_600_000);
    await drainWebhooks(db);
    expect(r.received).toHaveLength(2);
    expect(await db.webhookDelivery.findFirstOrThrow()).toMatchObject({ status: "failed", attempts: 2 });
  });
});

describe("who gets what", () => {
  it("disabled endpoints get nothing, and unsubscribed event types are not sent", async () => {
    const enrolledOnly = await receiver();
    const disabled = await receiver();
    const optOuts = await receiver();
    await endpoint(enrolledOnly.url, ["contact.enrolled"]);
    const off = await endpoint(disabled.url, ["contact.enrolled", "contact.exited", "contact.opted_out"]);
    await setWebhookEndpointEnabled(db, { id: off.id, enabled: false });
    await endpoint(optOuts.url, ["contact.opted_out"]);

    const { contact } = await enrolled();
    await unsubscribeContact(db, { contactId: contact.id, source: "link" });
    await drainWebhooks(db);

    const types = (r: { received: Received[] }) => r.received.map((q) => JSON.parse(q.body).type);
    expect(types(enrolledOnly)).toEqual(["contact.enrolled"]);
    expect(types(optOuts)).toEqual(["contact.opted_out"]);
    expect(disabled.received).toEqual([]);
    expect(JSON.parse(optOuts.received[0].body).data).toMatchObject({ contactId: contact.id, email: "ada@example.com", source: "link" });
    // contact.exited had no enabled subscriber: it never entered the outbox.
    expect(await db.webhookEvent.findMany({ select: { type: true }, orderBy: { createdAt: "asc" } })).toEqual([{ type: "contact.enrolled" }, { type: "contact.opted_out" }]);
  });

  it("an endpoint created later does not receive earlier events; disabling fails what waits for it", async () => {
    const early = await receiver([500]);
    const { id } = await endpoint(early.url, ["contact.enrolled"]);
    await enrolled();
    await drainWebhooks(db);
    const late = await receiver();
    await endpoint(late.url, ["contact.enrolled"]);
    await setWebhookEndpointEnabled(db, { id, enabled: false });
    setClock({ now: () => Date.now() + 3_600_000 });
    await drainWebhooks(db);
    expect(late.received).toEqual([]);
    expect(early.received).toHaveLength(1);
    expect(await db.webhookDelivery.findFirstOrThrow({ where: { endpointId: id } })).toMatchObject({ status: "failed" });
  });

  it("each engine change writes its event: step sent, exit with reason, bounce, bulk enroll (one per pair)", async () => {
    const r = await receiver();
    await endpoint(r.url, ["contact.enrolled", "step.sent", "contact.exited", "contact.bounced"]);
    const { contact, enrollmentId } = await enrolled([{ delayAmount: 0, delayUnit: "minutes" }, { delayAmount: 1, delayUnit: "days" }]);
    await advanceEnrollment(db, { enrollmentId });
    await exitContact(db, { contactId: contact.id, reason: "removed", detail: "by hand" });
    const other = await makeContact(db, { email: "grace@example.com" });
    await markBounced(db, { email: other.email, kind: "hard", detail: "550 no such user" });
    const bulk = await makeSequence(db, { name: "Bulk" });
    const people = await Promise.all([1, 2, 3].map((n) => makeContact(db, { email: `bulk${n}@example.com` })));
    await enrollMany(db, { pairs: people.map((p) => ({ contactId: p.id, sequenceId: bulk.id })), source: "import" });
    await drainWebhooks(db);

    const bodies = r.received.map((q) => JSON.parse(q.body) as { type: string; data: Record<string, unknown> });
    const of = (type: string) => bodies.filter((b) => b.type === type).map((b) => b.data);
    expect(of("step.sent")).toEqual([expect.objectContaining({ contactId: contact.id, enrollmentId, subject: "Step 1", stepId: expect.any(String) })]);
    expect(of("contact.exited")).toEqual([expect.objectContaining({ contactId: contact.id, enrollmentId, reason: "removed", detail: "by hand" })]);
    expect(of("contact.bounced")).toEqual([expect.objectContaining({ contactId: other.id, email: "grace@example.com", kind: "hard", detail: "550 no such user" })]);
    expect(of("contact.enrolled").map((d) => d.email).sort()).toEqual(["ada@example.com", "bulk1@example.com", "bulk2@example.com", "bulk3@example.com"]);
  });
});

describe("the outbox", () => {
  it("holds an event iff its change committed", async () => {
    await endpoint("http://127.0.0.1:9/unused", ["contact.exited", "contact.opted_out"]);
    const { contact } = await enrolled();
    await expect(
      db.$transaction(async (tx) => {
        await endLiveEnrollments(tx, { contactId: contact.id, reason: "opted_out" });
        await recordOutboundEvent(tx, "contact.opted_out", { contactId: contact.id });
        expect(await tx.webhookEvent.count()).toBe(2);
        throw new Error("the change fails after writing");
      }),
    ).rejects.toThrow("the change fails");
    expect(await db.webhookEvent.count()).toBe(0);
    expect(await db.webhookDelivery.count()).toBe(0);
    expect(await db.enrollment.count({ where: { status: "active" } })).toBe(1);

    await unsubscribeContact(db, { contactId: contact.id, source: "link" });
    expect((await db.webhookEvent.findMany({ select: { type: true } })).map((e) => e.type).sort()).toEqual(["contact.exited", "contact.opted_out"]);
  });

  it("with no enabled endpoint subscribed, nothing is written", async () => {
    const off = await endpoint("http://127.0.0.1:9/unused", ["contact.enrolled"]);
    await setWebhookEndpointEnabled(db, { id: off.id, enabled: false });
    await endpoint("http://127.0.0.1:9/other", ["step.failed"]);
    const { contact } = await enrolled();
    await unsubscribeContact(db, { contactId: contact.id, source: "link" });
    expect(await db.webhookEvent.count()).toBe(0);
  });

  it("an event committed while delivery was down is delivered by a later drain", async () => {
    const r = await receiver();
    await endpoint(r.url, ["contact.enrolled"]);
    await enrolled();
    // The process that made the change died before any drain ran (no wake-up, no send).
    expect(r.received).toEqual([]);
    expect(await db.webhookDelivery.count({ where: { status: "pending" } })).toBe(1);
    setClock({ now: () => Date.now() + 10 * 60_000 });
    expect(await drainWebhooks(db)).toMatchObject({ attempted: 1, succeeded: 1 });
    expect(r.received).toHaveLength(1);
  });
});

describe("where webhooks may go", () => {
  it("refuses non-http(s) URLs always, and loopback or private addresses unless allowed", async () => {
    const refused = async (url: string) => {
      const error = await createWebhookEndpoint(db, { url, events: ["contact.enrolled"] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      return (error as AppError).fieldErrors?.url?.[0];
    };
    expect(await refused("file:///etc/passwd")).toMatch(/Only http/);
    expect(await refused("gopher://127.0.0.1/")).toMatch(/Only http/);
    expect(await refused("https://user:pw@example.com/")).toMatch(/user name/);
    delete process.env.STEPWISE_WEBHOOKS_ALLOW_PRIVATE;
    for (const url of ["http://127.0.0.1:8080/", "http://localhost/", "http://10.1.2.3/", "http://[::1]/", "http://169.254.169.254/latest", "http://[::ffff:192.168.1.1]/"]) {
      expect(await refused(url)).toMatch(/private|internal|this machine/);
    }
    expect(await db.webhookEndpoint.count()).toBe(0);
  });

  it("refuses to connect to an internal address at send time (a name that resolves inward later)", async () => {
    const r = await receiver();
    delete process.env.STEPWISE_WEBHOOKS_ALLOW_PRIVATE;
    expect(await postWebhook(r.url, {}, "{}", 1000)).toMatchObject({ statusCode: null, error: "refused: internal address" });
    const viaName = await postWebhook(r.url.replace("127.0.0.1", "localhost"), {}, "{}", 1000);
    expect(viaName.statusCode).toBeNull();
    expect(viaName.error).toMatch(/internal address/);
    expect(r.received).toEqual([]);
  });
});
