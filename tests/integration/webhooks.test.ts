import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { setClock } from "../../lib/clock";
import { rateLimit, RATE_LIMITS } from "../../lib/security/rate-limit";
import { signWebhook } from "../../lib/security/webhook-signature";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";
import { testDatabaseUrl } from "../support/database-url";

const SECRET = "webhook-test-secret-0123456789";
process.env.DATABASE_URL = testDatabaseUrl();
process.env.WEBHOOK_SECRET = SECRET;
const replies = await import("../../app/api/webhooks/replies/route");
const bounces = await import("../../app/api/webhooks/bounces/route");

const db = testDb();
const events = recordEvents();

beforeEach(async () => {
  await resetDb();
  events.sent.length = 0;
});
afterEach(() => setClock(null));
afterAll(() => events.restore());

type Hook = "replies" | "bounces";
const now = () => Math.floor(Date.now() / 1000);

const target = (hook: Hook, query = "") => ({ method: "POST", path: `/api/webhooks/${hook}${query}` });
/**
 * Each delivery is signed afresh (as a relay re-signs a retry): a repeated
 * signature is a replay. Only the same body to the same target can repeat a
 * signature, so each such pair gets a second not used for it before. (Counting
 * an offset down from the wall clock did not: when the second ticked over
 * between two sends of one body, the offset cancelled it and the second send
 * was refused as a replay of the first.)
 */
const usedSeconds = new Map<string, Set<number>>();
function signedAt(key: string): number {
  const used = usedSeconds.get(key) ?? new Set<number>();
  usedSeconds.set(key, used);
  let t = now();
  while (used.has(t)) t--;
  used.add(t);
  return t;
}

function webhook(hook: Hook, body: unknown, options: { query?: string; signature?: string | null; ip?: string } = {}) {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const headers: Record<string, string> = { "content-type": "application/json", "x-forwarded-for": options.ip ?? "192.0.2.10" };
  const to = target(hook, options.query);
  const signature = options.signature === undefined ? signWebhook(raw, SECRET, to, signedAt(`${to.path}\n${raw}`)) : options.signature;
  if (signature !== null) headers["x-stepwise-signature"] = signature;
  const request = new Request(`http://localhost:3000/api/webhooks/${hook}${options.query ?? ""}`, { method: "POST", headers, body: raw });
  return (hook === "replies" ? replies : bounces).POST(request);
}

/** A contact in sequence A (exits on reply), B (exits on reply) and C (does not). */
async function enrolledContact(email = "grace@example.com") {
  const contact = await makeContact(db, { email });
  const sequences = {
    a: await makeSequence(db, { name: "A" }),
    b: await makeSequence(db, { name: "B" }),
    c: await makeSequence(db, { name: "C", exitOnReply: false }),
  };
  const enrollments: Record<string, string> = {};
  for (const [key, s] of Object.entries(sequences)) {
    const result = await enrollContact(db, { contactId: contact.id, sequenceId: s.id, source: "manual" });
    if (result.outcome !== "enrolled") throw new Error("not enrolled");
    enrollments[key] = result.enrollmentId;
  }
  events.sent.length = 0;
  return { contact, sequences, enrollments };
}

const statusesOf = async (contactId: string) =>
  Object.fromEntries(
    (await db.enrollment.findMany({ where: { contactId }, select: { status: true, exitReason: true, sequence: { select: { name: true } } } })).map((e) => [
      e.sequence.name,
      e.exitReason ? `${e.status}/${e.exitReason}` : e.status,
    ]),
  );

/** A sent step of enrollment `enrollmentId`, as the run would record it. */
async function sentMessage(enrollmentId: string, sequence: { steps: { id: string }[] }) {
  const stepId = sequence.steps[0].id;
  return db.stepSend.create({ data: { enrollmentId, stepId, status: "sent", messageId: `${enrollmentId}.${stepId}@stepwise.test`, sentAt: new Date() } });
}

describe("webhook authentication", () => {
  const cases: [string, (raw: string, hook: Hook) => string | null][] = [
    ["missing", () => null],
    ["garbage", () => "nonsense"],
    ["signed with another secret", (raw, hook) => signWebhook(raw, "not-the-secret-0123456789", target(hook))],
    ["for another body", (_raw, hook) => signWebhook(JSON.stringify({ from: "other@example.com" }), SECRET, target(hook))],
    ["too old", (raw, hook) => signWebhook(raw, SECRET, target(hook), now() - 301)],
    ["for the other endpoint", (raw, hook) => signWebhook(raw, SECRET, target(hook === "replies" ? "bounces" : "replies"))],
    ["for another ?provider=", (raw, hook) => signWebhook(raw, SECRET, target(hook, "?provider=postmark"))],
    ["for another method", (raw, hook) => signWebhook(raw, SECRET, { method: "PUT", path: `/api/webhooks/${hook}` })],
  ];

  it.each(cases)("refuses a reply whose signature is %s with 401 and changes nothing", async (_label, sign) => {
    const { contact } = await enrolledContact();
    const body = JSON.stringify({ from: contact.email, subject: "Re: hi" });
    const response = await webhook("replies", body, { signature: sign(body, "replies") });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "unauthenticated" } });
    expect(await db.inboundReply.count()).toBe(0);
    expect(await statusesOf(contact.id)).toEqual({ A: "active", B: "active", C: "active" });
    expect(events.sent).toEqual([]);
  });

  it.each(cases)("refuses a bounce whose signature is %s with 401 and changes nothing", async (_label, sign) => {
    const { contact } = await enrolledContact();
    const body = JSON.stringify({ email: contact.email, type: "hard" });
    const response = await webhook("bounces", body, { signature: sign(body, "bounces") });
    expect(response.status).toBe(401);
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).status).toBe("subscribed");
    expect(await db.consentEvent.count()).toBe(0);
    expect(await statusesOf(contact.id)).toEqual({ A: "active", B: "active", C: "active" });
  });

  it("refuses everything while no WEBHOOK_SECRET is configured", async () => {
    delete process.env.WEBHOOK_SECRET;
    try {
      const response = await webhook("bounces", { email: "a@example.com", type: "hard" });
      expect(response.status).toBe(503);
    } finally {
      process.env.WEBHOOK_SECRET = SECRET;
    }
  });
});

describe("webhook validation", () => {
  it("answers 422 with field errors for a bad body, and 400 for non-JSON", async () => {
    const reply = await webhook("replies", { from: "not-an-email", headers: "x" });
    expect(reply.status).toBe(422);
    expect((await reply.json()).error.fieldErrors).toMatchObject({ from: expect.any(Array), headers: expect.any(Array) });

    const bounce = await webhook("bounces", { email: "a@example.com", type: "bouncy" });
    expect(bounce.status).toBe(422);
    expect((await bounce.json()).error.fieldErrors).toHaveProperty("type");

    expect((await webhook("replies", "{not json")).status).toBe(400);
    const provider = await webhook("bounces", { email: "a@example.com", type: "hard" }, { query: "?provider=mailgun" });
    expect(provider.status).toBe(422);
    expect((await provider.json()).error.fieldErrors).toHaveProperty("provider");
    expect(await db.consentEvent.count()).toBe(0);
    expect(await db.inboundReply.count()).toBe(0);
  });

  it("answers 429 after the per-IP limit", { timeout: 180_000 }, async () => {
    // One fixed-window minute for the whole test, however long the loop takes.
    const frozen = Date.now();
    setClock({ now: () => frozen });
    for (let i = 0; i < RATE_LIMITS.webhookIp.limit; i++) {
      expect((await webhook("bounces", { email: `x${i}@example.com`, type: "soft" }, { ip: "198.51.100.77" })).status).toBe(200);
    }
    const deferred = JSON.stringify({ email: "deferred@example.com", type: "soft" });
    const deferredSignature = signWebhook(deferred, SECRET, target("bounces"), now());
    const limited = await webhook("bounces", deferred, { ip: "198.51.100.77", signature: deferredSignature });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
    // Other senders and the other webhook are counted apart.
    expect((await webhook("bounces", { email: "x@example.com", type: "soft" }, { ip: "198.51.100.78" })).status).toBe(200);
    expect((await webhook("replies", { from: "x@example.com" }, { ip: "198.51.100.77" })).status).toBe(200);
    // The deferred request, sent again as it was after the window, is received once, and only once.
    setClock({ now: () => frozen + RATE_LIMITS.webhookIp.windowMs });
    expect((await webhook("bounces", deferred, { ip: "198.51.100.77", signature: deferredSignature })).status).toBe(200);
    expect((await webhook("bounces", deferred, { ip: "198.51.100.77", signature: deferredSignature })).status).toBe(401);
  });
});

describe("reply webhook", () => {
  it("an auto-reply is stored but ends nothing", async () => {
    const { contact } = await enrolledContact();
    const response = await webhook("replies", { from: contact.email, subject: "Automatic reply: Step 1", headers: { "Auto-Submitted": "auto-replied" } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, matched: true, autoReply: true, exited: 0 });
    expect(await statusesOf(contact.id)).toEqual({ A: "active", B: "active", C: "active" });
    expect(await db.inboundReply.findFirstOrThrow()).toMatchObject({ contactId: contact.id, isAutoReply: true, provider: "generic" });
    expect(events.sent).toEqual([]);
  });

  it("a reply whose From the provider authenticated ends only the exit-on-reply sequences and sends contact.replied", async () => {
    const { contact } = await enrolledContact();
    const headers = { "Authentication-Results": "mx.provider.example; dkim=pass header.d=example.com header.s=s1; spf=fail smtp.mailfrom=x@other.example" };
    const response = await webhook("replies", { from: "  GRACE@Example.com ", subject: "Re: Step 1", headers });
    expect(await response.json()).toEqual({ ok: true, matched: true, matchedSend: false, autoReply: false, verified: true, duplicate: false, exited: 2 });
    expect(await statusesOf(contact.id)).toEqual({ A: "replied/replied", B: "replied/replied", C: "active" });
    expect(events.sent).toEqual([{ name: "contact.replied", data: { contactId: contact.id, sequenceId: null } }]);
    expect(await db.inboundReply.findFirstOrThrow()).toMatchObject({ contactId: contact.id, fromAddress: "grace@example.com", subject: "Re: Step 1", isAutoReply: false, stepSendId: null });
  });

  it("a forged From alone (no Message-ID of ours, no authentication the provider vouches for) ends nothing", async () => {
    const { contact } = await enrolledContact();
    const unverified = [
      {},
      { "Authentication-Results": "mx.provider.example; dkim=fail header.d=example.com; spf=softfail smtp.mailfrom=grace@example.com" },
      { "Authentication-Results": "mx.provider.example; dkim=pass header.d=evil.example; spf=pass smtp.mailfrom=a@evil.example" },
      { "Authentication-Results": "dkim=pass header.d=example.com" },
      { "Authentication-Results": "mx.provider.example; dkim=pass header.d=notexample.com" },
    ];
    for (const headers of unverified) {
      const response = await webhook("replies", { from: contact.email, subject: "Re: Step 1", headers });
      expect(await response.json()).toMatchObject({ matched: true, verified: false, exited: 0 });
    }
    expect(await statusesOf(contact.id)).toEqual({ A: "active", B: "active", C: "active" });
    expect(events.sent).toEqual([]);
    expect(await db.inboundReply.count()).toBe(unverified.length);
  });

  it("a replayed signed request (same timestamp and signature) is refused, also across instances", async () => {
    const { contact, sequences, enrollments } = await enrolledContact();
    const send = await sentMessage(enrollments.a, sequences.a);
    const body = JSON.stringify({ from: contact.email, inReplyTo: `<${send.messageId}>` });
    const signature = signWebhook(body, SECRET, target("replies"));
    expect((await webhook("replies", body, { signature })).status).toBe(200);
    const replayed = await webhook("replies", body, { signature: `${signature.split(",")[0]},v1=${"0".repeat(64)},${signature.split(",")[1]}` });
    expect(replayed.status).toBe(401);
    expect(await replayed.json()).toMatchObject({ error: { code: "unauthenticated" } });
    expect(await db.inboundReply.count()).toBe(1);
    expect(await db.webhookReplay.count()).toBe(1);
  });

  it("matches In-Reply-To to the message answered and ends only that sequence", async () => {
    const { contact, sequences, enrollments } = await enrolledContact();
    const send = await sentMessage(enrollments.a, sequences.a);
    const response = await webhook("replies", { from: contact.email, subject: "Re: Step 1", inReplyTo: `<${send.messageId}>` });
    expect(await response.json()).toMatchObject({ matched: true, matchedSend: true, exited: 1 });
    expect(await statusesOf(contact.id)).toEqual({ A: "replied/replied", B: "active", C: "active" });
    expect(events.sent).toEqual([{ name: "contact.replied", data: { contactId: contact.id, sequenceId: sequences.a.id } }]);
    expect(await db.inboundReply.findFirstOrThrow()).toMatchObject({ stepSendId: send.id, inReplyTo: `<${send.messageId}>` });
  });

  it("adapts Postmark's inbound JSON, In-Reply-To from its Headers", async () => {
    const { contact, sequences, enrollments } = await enrolledContact();
    const send = await sentMessage(enrollments.b, sequences.b);
    const body = {
      From: "grace@example.com",
      FromFull: { Email: "Grace@Example.com", Name: "Grace" },
      To: "replies@stepwise.test",
      Subject: "Re: Step 1",
      MessageID: "f1a2b3c4-0000-0000-0000-000000000000",
      Headers: [{ Name: "In-Reply-To", Value: `<${send.messageId}>` }, { Name: "X-Spam-Score", Value: "0" }],
    };
    const response = await webhook("replies", body, { query: "?provider=postmark" });
    expect(await response.json()).toMatchObject({ matched: true, matchedSend: true, autoReply: false, exited: 1 });
    expect(await statusesOf(contact.id)).toEqual({ A: "active", B: "replied/replied", C: "active" });
    expect(await db.inboundReply.findFirstOrThrow()).toMatchObject({ provider: "postmark", stepSendId: send.id });
  });

  it("a reply the provider delivers again (also concurrently) is stored once and exits once", async () => {
    const { contact, sequences, enrollments } = await enrolledContact();
    const send = await sentMessage(enrollments.a, sequences.a);
    const reply = { from: contact.email, subject: "Re: Step 1", inReplyTo: `<${send.messageId}>`, messageId: "<reply-1@mail.example.com>" };
    const answers = await Promise.all([webhook("replies", reply), webhook("replies", reply), webhook("replies", reply)]);
    const bodies = await Promise.all(answers.map((r) => r.json()));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(bodies.filter((b) => b.duplicate === false)).toHaveLength(1);
    expect(bodies.reduce((n, b) => n + b.exited, 0)).toBe(1);
    expect(await db.inboundReply.findMany({ select: { messageId: true } })).toEqual([{ messageId: "reply-1@mail.example.com" }]);
    expect(events.sent).toEqual([{ name: "contact.replied", data: { contactId: contact.id, sequenceId: sequences.a.id } }]);

  });

  it("a retried reply whose first delivery was stored but crashed before the exit: the retry exits", async () => {
    const { contact, sequences, enrollments } = await enrolledContact();
    const send = await sentMessage(enrollments.a, sequences.a);
    await db.inboundReply.create({ data: { contactId: contact.id, fromAddress: contact.email, provider: "generic", messageId: "reply-1@mail.example.com" } });
    const reply = { from: contact.email, inReplyTo: `<${send.messageId}>`, messageId: "<reply-1@mail.example.com>" };
    expect(await (await webhook("replies", reply)).json()).toMatchObject({ duplicate: true, exited: 1 });
    expect(await statusesOf(contact.id)).toEqual({ A: "replied/replied", B: "active", C: "active" });
    expect(await db.inboundReply.count()).toBe(1);
  });

  it("a reply to a sequence without exit-on-reply ends nothing", async () => {
    const { contact, sequences, enrollments } = await enrolledContact();
    const send = await sentMessage(enrollments.c, sequences.c);
    const response = await webhook("replies", { from: contact.email, inReplyTo: `<${send.messageId}>` });
    expect(await response.json()).toMatchObject({ matched: true, matchedSend: true, exited: 0 });
    expect(await statusesOf(contact.id)).toEqual({ A: "active", B: "active", C: "active" });
    expect(events.sent).toEqual([]);
  });

  it("an unknown sender is stored unmatched; a known Message-ID identifies the contact replying from an alias", async () => {
    const { contact, sequences, enrollments } = await enrolledContact();
    expect(await (await webhook("replies", { from: "stranger@example.org" })).json()).toMatchObject({ matched: false, exited: 0 });
    expect(await statusesOf(contact.id)).toEqual({ A: "active", B: "active", C: "active" });

    const send = await sentMessage(enrollments.a, sequences.a);
    const alias = await webhook("replies", { from: "g.hopper@example.net", headers: { "In-Reply-To": `<${send.messageId}>` } });
    expect(await alias.json()).toMatchObject({ matched: true, matchedSend: true, exited: 1 });
    expect(await statusesOf(contact.id)).toEqual({ A: "replied/replied", B: "active", C: "active" });
    const stored = await db.inboundReply.findMany({ select: { fromAddress: true, contactId: true, stepSendId: true } });
    expect(stored).toEqual(
      expect.arrayContaining([
        { fromAddress: "stranger@example.org", contactId: null, stepSendId: null },
        { fromAddress: "g.hopper@example.net", contactId: contact.id, stepSendId: send.id },
      ]),
    );
    expect(stored).toHaveLength(2);
  });

  it("ignores a deleted contact and a Message-ID that is not ours", async () => {
    const deleted = await makeContact(db, { email: "gone@example.com", deletedAt: new Date() });
    expect(await (await webhook("replies", { from: deleted.email })).json()).toMatchObject({ matched: false });
    const { contact, enrollments, sequences } = await enrolledContact();
    const forged = `<${enrollments.a}.${sequences.a.steps[0].id}@evil.example>`;
    expect(await (await webhook("replies", { from: "x@example.org", inReplyTo: forged })).json()).toMatchObject({ matched: false, matchedSend: false });
    expect(await statusesOf(contact.id)).toEqual({ A: "active", B: "active", C: "active" });
  });
});

describe("bounce webhook", () => {
  it.each([
    ["hard", "bounced"],
    ["complaint", "complained"],
  ] as const)("a %s bounce marks the contact bounced and exits every sequence with reason bounced", async (type, consentType) => {
    const { contact } = await enrolledContact();
    const response = await webhook("bounces", { email: "Grace@example.com", type, detail: "550 5.1.1 no such user" });
    expect(await response.json()).toEqual({ ok: true, ignored: false, matched: true, changed: true, exited: 3 });

    const after = await db.contact.findUniqueOrThrow({ where: { id: contact.id } });
    expect(after.status).toBe("bounced");
    expect(after.bouncedAt).toBeInstanceOf(Date);
    expect(await statusesOf(contact.id)).toEqual({ A: "bounced/bounced", B: "bounced/bounced", C: "bounced/bounced" });
    const consent = await db.consentEvent.findMany();
    expect(consent).toHaveLength(1);
    expect(consent[0]).toMatchObject({ type: consentType, source: "webhook", detail: "550 5.1.1 no such user" });
    expect(events.sent).toEqual([{ name: "contact.removed", data: { contactId: contact.id, sequenceId: null } }]);

    // Providers retry: the same bounce again changes and records nothing.
    events.sent.length = 0;
    expect(await (await webhook("bounces", { email: contact.email, type })).json()).toMatchObject({ matched: true, changed: false, exited: 0 });
    expect(await db.consentEvent.count()).toBe(1);
    expect(events.sent).toEqual([]);
  });

  it("a soft bounce is ignored: 200, nothing recorded", async () => {
    const { contact } = await enrolledContact();
    const response = await webhook("bounces", { email: contact.email, type: "soft" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, ignored: true });
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).status).toBe("subscribed");
    expect(await db.consentEvent.count()).toBe(0);
    expect(await statusesOf(contact.id)).toEqual({ A: "active", B: "active", C: "active" });
  });

  it.each([
    ["HardBounce", "bounced"],
    ["SpamComplaint", "complained"],
    ["SoftBounce", null],
    ["Transient", null],
  ] as const)("adapts Postmark's %s", async (Type, consentType) => {
    const { contact } = await enrolledContact();
    const body = { RecordType: Type === "SpamComplaint" ? "SpamComplaint" : "Bounce", Type, TypeCode: 1, Email: contact.email, Description: "desc", Details: "details" };
    const response = await webhook("bounces", body, { query: "?provider=postmark" });
    expect(response.status).toBe(200);
    const status = (await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).status;
    if (consentType) {
      expect(status).toBe("bounced");
      expect(await db.consentEvent.findFirstOrThrow()).toMatchObject({ type: consentType, detail: `Postmark ${Type}: desc: details` });
    } else {
      expect(await response.json()).toEqual({ ok: true, ignored: true });
      expect(status).toBe("subscribed");
      expect(await db.consentEvent.count()).toBe(0);
    }
  });

  it("a bounce for an unknown address changes nothing", async () => {
    const response = await webhook("bounces", { email: "nobody@example.com", type: "hard" });
    expect(await response.json()).toMatchObject({ ok: true, matched: false, changed: false });
    expect(await db.consentEvent.count()).toBe(0);
  });
});

describe("rateLimit", () => {
  it("counts concurrent hits exactly", async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => rateLimit(db, { key: "k", limit: 7, windowMs: 60_000 })));
    expect(results.filter((r) => r.allowed)).toHaveLength(7);
    expect((await db.rateLimit.findFirstOrThrow({ where: { key: "k" } })).count).toBe(20);
  });

  it("opens a new window when the old one ends, says when, and drops stale counters", async () => {
    let t = Date.UTC(2026, 0, 5, 9, 0, 10);
    setClock({ now: () => t });
    expect(await rateLimit(db, { key: "w", limit: 1, windowMs: 60_000 })).toEqual({ allowed: true, retryAfterSeconds: 0 });
    expect(await rateLimit(db, { key: "w", limit: 1, windowMs: 60_000 })).toEqual({ allowed: false, retryAfterSeconds: 50 });
    t += 50_000;
    expect((await rateLimit(db, { key: "w", limit: 1, windowMs: 60_000 })).allowed).toBe(true);

    t += 2 * 86_400_000;
    await rateLimit(db, { key: "other", limit: 1, windowMs: 60_000 });
    expect(await db.rateLimit.findMany({ select: { key: true } })).toEqual([{ key: "other" }]);
  });

});
