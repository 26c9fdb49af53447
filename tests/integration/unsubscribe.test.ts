import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { setClock } from "../../lib/clock";
import { maskEmail, readUnsubscribeLink, resubscribeContact, unsubscribeContact } from "../../lib/contacts/unsubscribe";
import { createUnsubscribeToken } from "../../lib/email/unsubscribe-token";
import { AppError } from "../../lib/errors";
import { RATE_LIMITS } from "../../lib/security/rate-limit";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";
import { testDatabaseUrl } from "../support/database-url";

const SECRET = "unsubscribe-test-secret-0123456789";
process.env.DATABASE_URL = testDatabaseUrl();
process.env.STEPWISE_SIGNING_SECRET = SECRET;
const { POST, GET } = await import("../../app/api/unsubscribe/[token]/route");
const { unsubscribeWithToken, resubscribeWithToken } = await import("../../lib/actions/unsubscribe/unsubscribe-with-token");

const db = testDb();
const events = recordEvents();

beforeEach(async () => {
  await resetDb();
  events.sent.length = 0;
});
afterAll(() => events.restore());
afterEach(() => setClock(null));

const META = { ip: "203.0.113.7", userAgent: "Mozilla/5.0 (test)" };

/** A subscribed contact enrolled in two sequences (one not exiting on reply). */
async function enrolledContact() {
  const contact = await makeContact(db, { email: "ada.lovelace@example.com" });
  const a = await makeSequence(db, { name: "A" });
  const b = await makeSequence(db, { name: "B", exitOnReply: false });
  for (const s of [a, b]) expect((await enrollContact(db, { contactId: contact.id, sequenceId: s.id, source: "manual" })).outcome).toBe("enrolled");
  events.sent.length = 0;
  return contact;
}

function oneClick(token: string, init: { headers?: Record<string, string>; method?: string } = {}) {
  const request = new Request(`http://localhost:3000/api/unsubscribe/${token}`, {
    method: init.method ?? "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": "198.51.100.9", "user-agent": "GoogleImageProxy", ...init.headers },
    body: (init.method ?? "POST") === "POST" ? "List-Unsubscribe=One-Click" : undefined,
  });
  return (init.method === "GET" ? GET : POST)(request, { params: Promise.resolve({ token }) });
}

async function expectUnchanged(contactId: string) {
  const contact = await db.contact.findUniqueOrThrow({ where: { id: contactId } });
  expect(contact).toMatchObject({ status: "subscribed", unsubscribedAt: null });
  const statuses = await db.enrollment.findMany({ where: { contactId }, select: { status: true } });
  expect(statuses.map((e) => e.status)).toEqual(["active", "active"]);
  expect(await db.consentEvent.count()).toBe(0);
  expect(events.sent).toEqual([]);
}

/** Tokens that must not work: signed elsewhere, edited, or expired. */
function badTokens(contactId: string, otherContactId: string) {
  const forged = createUnsubscribeToken({ contactId }, { secret: "someone-elses-secret-0123456789" });
  const [, signature] = createUnsubscribeToken({ contactId: otherContactId }).split(".");
  const payload = Buffer.from(JSON.stringify({ c: contactId, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 3600 })).toString("base64url");
  const tampered = `${payload}.${signature}`;
  const expired = createUnsubscribeToken({ contactId }, { now: new Date(Date.now() - 2 * 86_400_000), ttlMs: 86_400_000 });
  return { forged, tampered, expired, garbage: "not-a-token" };
}

describe("one-click unsubscribe (RFC 8058)", () => {
  it("needs no cookie or page: unsubscribes, ends every sequence with opted_out and sends contact.opted_out", async () => {
    const contact = await enrolledContact();
    const token = createUnsubscribeToken({ contactId: contact.id, messageRef: "send-123" });

    const response = await oneClick(token);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, status: "unsubscribed", changed: true });

    const after = await db.contact.findUniqueOrThrow({ where: { id: contact.id } });
    expect(after.status).toBe("unsubscribed");
    expect(after.unsubscribedAt).toBeInstanceOf(Date);
    const enrollments = await db.enrollment.findMany({ where: { contactId: contact.id } });
    expect(enrollments.map((e) => [e.status, e.exitReason])).toEqual([["opted_out", "opted_out"], ["opted_out", "opted_out"]]);
    const consent = await db.consentEvent.findMany();
    expect(consent).toHaveLength(1);
    expect(consent[0]).toMatchObject({ contactId: contact.id, type: "unsubscribed", source: "one_click", ip: "198.51.100.9", userAgent: "GoogleImageProxy", messageRef: "send-123" });
    expect(events.sent).toEqual([{ name: "contact.opted_out", data: { contactId: contact.id } }]);
    const exits = await db.enrollmentEvent.findMany({ where: { contactId: contact.id, type: "exited" } });
    expect(exits.map((e) => e.reason)).toEqual(["opted_out", "opted_out"]);
  });

  it("answers 200 again for an already unsubscribed contact, recording nothing new", async () => {
    const contact = await enrolledContact();
    const token = createUnsubscribeToken({ contactId: contact.id });
    expect((await oneClick(token)).status).toBe(200);
    events.sent.length = 0;

    const again = await oneClick(token);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ ok: true, changed: false });
    expect(await db.consentEvent.count()).toBe(1);
    expect(events.sent).toEqual([]);
  });

  it("accepts an empty or unexpected body", async () => {
    const contact = await makeContact(db);
    const token = createUnsubscribeToken({ contactId: contact.id });
    const request = new Request(`http://localhost:3000/api/unsubscribe/${token}`, { method: "POST" });
    expect((await POST(request, { params: Promise.resolve({ token }) })).status).toBe(200);
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).status).toBe("unsubscribed");
  });

  it.each(["forged", "tampered", "expired", "garbage"] as const)("refuses a %s token with 400 and changes nothing", async (kind) => {
    const contact = await enrolledContact();
    const other = await makeContact(db);
    const token = badTokens(contact.id, other.id)[kind];

    const response = await oneClick(token);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: "invalid_link", message: expect.any(String) } });
    await expectUnchanged(contact.id);
    expect((await db.contact.findUniqueOrThrow({ where: { id: other.id } })).status).toBe("subscribed");
  });

  it("GET never unsubscribes: 405 pointing to the page", async () => {
    const contact = await enrolledContact();
    const token = createUnsubscribeToken({ contactId: contact.id });
    const response = await oneClick(token, { method: "GET" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(await response.json()).toMatchObject({ error: { code: "method_not_allowed", page: `/unsubscribe/${token}` } });
    await expectUnchanged(contact.id);
  });

  it("treats a deleted contact's link as invalid", async () => {
    const contact = await makeContact(db, { deletedAt: new Date() });
    const response = await oneClick(createUnsubscribeToken({ contactId: contact.id }));
    expect(response.status).toBe(400);
    expect(await db.consentEvent.count()).toBe(0);
  });

  it("answers 429 with Retry-After once a link is used too often", async () => {
    // One fixed-window minute for the whole test, however slow the machine.
    const frozen = Date.now();
    setClock({ now: () => frozen });
    const contact = await makeContact(db);
    const token = createUnsubscribeToken({ contactId: contact.id });
    for (let i = 0; i < RATE_LIMITS.oneClickToken.limit; i++) expect((await oneClick(token)).status).toBe(200);
    const limited = await oneClick(token);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: { code: "rate_limited" } });
    // Another link is counted on its own.
    const other = await makeContact(db);
    expect((await oneClick(createUnsubscribeToken({ contactId: other.id }))).status).toBe(200);
  });

  it("counts per link on what the token names, not on its spelling", async () => {
    const frozen = Date.now();
    setClock({ now: () => frozen });
    const contact = await makeContact(db);
    // Links issued at different times name the same contact and message.
    const spellings = Array.from({ length: RATE_LIMITS.oneClickToken.limit + 1 }, (_, i) =>
      createUnsubscribeToken({ contactId: contact.id, messageRef: "send-1" }, { now: new Date(Date.now() - i * 1000) }),
    );
    expect(new Set(spellings).size).toBe(spellings.length);
    for (const token of spellings.slice(0, -1)) expect((await oneClick(token)).status).toBe(200);
    expect((await oneClick(spellings.at(-1)!)).status).toBe(429);
  });

  it("refuses a re-encoded link (extra or changed characters in the signature)", async () => {
    const contact = await makeContact(db);
    const token = createUnsubscribeToken({ contactId: contact.id });
    for (const variant of [`${token}~`, `${token}~~`, `${token}=`, `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`]) {
      expect((await oneClick(variant)).status).toBe(400);
    }
    expect(await db.consentEvent.count()).toBe(0);
  });

  it("600 invalid one-click requests from one address do not make a valid one answer 429", async () => {
    for (let i = 0; i < 600; i++) {
      const response = await oneClick(`garbage${i}`);
      expect([400, 429]).toContain(response.status);
    }
    const contact = await makeContact(db);
    expect((await oneClick(createUnsubscribeToken({ contactId: contact.id }))).status).toBe(200);
  });
});

describe("the unsubscribe page", () => {
  it("shows only a masked address and the status, and viewing it changes nothing", async () => {
    const contact = await enrolledContact();
    const token = createUnsubscribeToken({ contactId: contact.id, messageRef: "send-1" });
    expect(await readUnsubscribeLink(db, token)).toEqual({
      ok: true,
      contactId: contact.id,
      messageRef: "send-1",
      maskedEmail: "a***@e***.com",
      status: "subscribed",
    });
    await expectUnchanged(contact.id);
  });

  it.each(["forged", "tampered", "expired", "garbage"] as const)("rejects a %s token on view and on both actions, changing nothing", async (kind) => {
    const contact = await enrolledContact();
    const other = await makeContact(db);
    const token = badTokens(contact.id, other.id)[kind];
    expect(await readUnsubscribeLink(db, token)).toEqual({ ok: false });
    expect(await unsubscribeWithToken({ token }, META)).toMatchObject({ ok: false, code: "invalid_link" });
    expect(await resubscribeWithToken({ token }, META)).toMatchObject({ ok: false, code: "invalid_link" });
    await expectUnchanged(contact.id);
  });

  it("validates the action input", async () => {
    expect(await unsubscribeWithToken({ token: 42 }, META)).toMatchObject({ ok: false, code: "invalid_link" });
    expect(await unsubscribeWithToken(null, META)).toMatchObject({ ok: false, code: "invalid_link" });
  });

  it("unsubscribes on the confirming POST, then resubscribes as a new consent event without re-enrolling", async () => {
    const contact = await enrolledContact();
    const token = createUnsubscribeToken({ contactId: contact.id, messageRef: "send-9" });

    const unsubscribed = await unsubscribeWithToken({ token }, META);
    expect(unsubscribed).toMatchObject({ ok: true, data: { status: "unsubscribed" } });
    expect(events.sent).toEqual([{ name: "contact.opted_out", data: { contactId: contact.id } }]);

    const resubscribed = await resubscribeWithToken({ token }, META);
    expect(resubscribed).toMatchObject({ ok: true, data: { status: "subscribed" } });

    const after = await db.contact.findUniqueOrThrow({ where: { id: contact.id } });
    expect(after).toMatchObject({ status: "subscribed", unsubscribedAt: null });
    const consent = await db.consentEvent.findMany({ orderBy: { id: "asc" } });
    expect(consent.map((c) => [c.type, c.source, c.ip, c.userAgent])).toEqual([
      ["unsubscribed", "unsubscribe_page", META.ip, META.userAgent],
      ["resubscribed", "unsubscribe_page", META.ip, META.userAgent],
    ]);
    expect(consent[0].messageRef).toBe("send-9");
    // Sequences that ended stay ended; nobody is enrolled again.
    const enrollments = await db.enrollment.findMany({ where: { contactId: contact.id } });
    expect(enrollments.map((e) => e.status)).toEqual(["opted_out", "opted_out"]);
    expect(events.sent.map((e) => e.name)).toEqual(["contact.opted_out"]);
  });

  it("rate limits the actions per link", async () => {
    const contact = await makeContact(db);
    const token = createUnsubscribeToken({ contactId: contact.id });
    for (let i = 0; i < RATE_LIMITS.unsubscribePageToken.limit; i++) {
      expect((await unsubscribeWithToken({ token }, { ip: `192.0.2.${i}` })).ok).toBe(true);
    }
    expect(await unsubscribeWithToken({ token }, { ip: "192.0.2.200" })).toMatchObject({ ok: false, code: "rate_limited" });
  });

  it("counts invalid links in their own bucket, so they never lock out a valid link", async () => {
    for (let i = 0; i < RATE_LIMITS.unsubscribePageInvalidIp.limit; i++) {
      expect(await unsubscribeWithToken({ token: `bad-${i}` }, META)).toMatchObject({ code: "invalid_link" });
    }
    expect(await unsubscribeWithToken({ token: "bad-more" }, META)).toMatchObject({ ok: false, code: "rate_limited" });
    const contact = await makeContact(db);
    const token = createUnsubscribeToken({ contactId: contact.id });
    expect((await unsubscribeWithToken({ token }, META)).ok).toBe(true);
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).status).toBe("unsubscribed");
  });

  it("rate limits valid links per IP", async () => {
    for (let i = 0; i < RATE_LIMITS.unsubscribePageIp.limit; i++) {
      const contact = await makeContact(db);
      expect((await unsubscribeWithToken({ token: createUnsubscribeToken({ contactId: contact.id }) }, META)).ok).toBe(true);
    }
    const contact = await makeContact(db);
    expect(await unsubscribeWithToken({ token: createUnsubscribeToken({ contactId: contact.id }) }, META)).toMatchObject({ ok: false, code: "rate_limited" });
  });
});

describe("changes made by a signed-in user", () => {
  it("through a contact's link are recorded as that user's action, never as the contact's own", async () => {
    const contact = await makeContact(db);
    const token = createUnsubscribeToken({ contactId: contact.id, messageRef: "send-7" });
    const actor = { id: "user-1", email: "viewer@example.com" };
    expect((await unsubscribeWithToken({ token }, { ...META, actor })).ok).toBe(true);
    expect((await resubscribeWithToken({ token }, { ...META, actor })).ok).toBe(true);
    const consent = await db.consentEvent.findMany({ orderBy: { id: "asc" } });
    expect(consent.map((c) => [c.type, c.source])).toEqual([
      ["unsubscribed", "admin"],
      ["resubscribed", "admin"],
    ]);
    for (const c of consent) expect(c.detail).toBe("by user viewer@example.com [user-1] (through unsubscribe_page)");
  });

  it("from the contact page are recorded with the user", async () => {
    const contact = await makeContact(db);
    await unsubscribeContact(db, { contactId: contact.id, source: "admin", actor: { id: "user-2", email: "m@example.com" } });
    expect(await db.consentEvent.findFirstOrThrow()).toMatchObject({ source: "admin", detail: "by user m@example.com [user-2]" });
  });
});

describe("unsubscribeContact / resubscribeContact", () => {
  it("record one opt-out for concurrent requests", async () => {
    const contact = await enrolledContact();
    const results = await Promise.all(Array.from({ length: 8 }, () => unsubscribeContact(db, { contactId: contact.id, source: "one_click" })));
    expect(results.filter((r) => r.outcome === "unsubscribed")).toHaveLength(1);
    expect(await db.consentEvent.count()).toBe(1);
    expect(await db.enrollmentEvent.count({ where: { type: "exited" } })).toBe(2);
    expect(events.sent).toHaveLength(1);
  });

  it("keep a bounced contact bounced but record its withdrawal once, and refuse to resubscribe it", async () => {
    const contact = await makeContact(db, { status: "bounced", bouncedAt: new Date() });
    expect((await unsubscribeContact(db, { contactId: contact.id, source: "unsubscribe_page" })).outcome).toBe("unsubscribed");
    expect((await unsubscribeContact(db, { contactId: contact.id, source: "unsubscribe_page" })).outcome).toBe("already_unsubscribed");
    const after = await db.contact.findUniqueOrThrow({ where: { id: contact.id } });
    expect(after.status).toBe("bounced");
    expect(after.unsubscribedAt).toBeInstanceOf(Date);
    expect(await db.consentEvent.count()).toBe(1);

    await expect(resubscribeContact(db, { contactId: contact.id, source: "unsubscribe_page" })).rejects.toMatchObject({ code: "conflict" });
    const token = createUnsubscribeToken({ contactId: contact.id });
    expect(await resubscribeWithToken({ token }, META)).toMatchObject({ ok: false, code: "conflict", message: expect.stringContaining("could not be delivered") });
    expect(await db.consentEvent.count()).toBe(1);
  });

  it("resubscribing a subscribed contact records nothing", async () => {
    const contact = await makeContact(db);
    expect(await resubscribeContact(db, { contactId: contact.id, source: "unsubscribe_page" })).toEqual({ outcome: "already_subscribed" });
    expect(await db.consentEvent.count()).toBe(0);
  });

  it("refuse an unknown contact with not_found", async () => {
    await expect(unsubscribeContact(db, { contactId: "00000000-0000-4000-8000-000000000000", source: "api" })).rejects.toBeInstanceOf(AppError);
  });
});

describe("maskEmail", () => {
  it.each([
    ["ada@example.com", "a***@e***.com"],
    ["x@mail.example.co.uk", "x***@m***.uk"],
    ["bob@localhost", "b***@l***"],
    ["nonsense", "***"],
  ])("%s -> %s", (email, masked) => {
    expect(maskEmail(email)).toBe(masked);
  });
});
