import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setClock } from "../../lib/clock";
import { SIGNUP_RATE_LIMIT } from "../../lib/contacts/signup";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";
import { testDatabaseUrl } from "../support/database-url";

process.env.STEPWISE_SIGNING_SECRET ??= "signup-test-signing-secret-0123456789";
const db = testDb();
const events = recordEvents();
let POST: (request: Request) => Promise<Response>;

beforeAll(async () => {
  process.env.DATABASE_URL = testDatabaseUrl();
  ({ POST } = await import("../../app/api/signup/route"));
});
beforeEach(async () => {
  await resetDb();
  events.sent.length = 0;
});
afterEach(() => setClock(null));
afterAll(() => events.restore());

let ipCounter = 0;
/** A fresh client address per request unless given, so tests do not share a rate-limit budget. */
function signup(body: unknown, ip = `203.0.113.${++ipCounter % 250}`) {
  return POST(
    new Request("http://localhost:3000/api/signup", {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": ip, "user-agent": "vitest" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

async function signupSequence(signupSource?: string) {
  const sequence = await makeSequence(db);
  await db.sequenceTrigger.create({ data: { sequenceId: sequence.id, type: "signup", signupSource } });
  return sequence;
}

const counts = async () => ({
  contacts: await db.contact.count(),
  enrollments: await db.enrollment.count(),
  events: await db.enrollmentEvent.count(),
  consents: await db.consentEvent.count(),
  rateLimits: await db.rateLimit.count(),
});

describe("POST /api/signup with single opt-in (STEPWISE_SIGNUP_OPT_IN=single)", () => {
  beforeAll(() => {
    process.env.STEPWISE_SIGNUP_OPT_IN = "single";
  });
  afterAll(() => {
    delete process.env.STEPWISE_SIGNUP_OPT_IN;
  });

  it("creates a subscribed contact, records consent and fires signup triggers: 202 { ok: true }", async () => {
    const sequence = await signupSequence("webinar");
    const response = await signup({ email: " Ada@Example.COM ", firstName: "Ada", source: "webinar" }, "198.51.100.7");

    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ ok: true });
    const contact = await db.contact.findUniqueOrThrow({ where: { email: "ada@example.com" } });
    expect(contact).toMatchObject({ firstName: "Ada", status: "subscribed" });
    expect(await db.consentEvent.findFirst({ where: { contactId: contact.id } })).toMatchObject({
      type: "subscribed",
      source: "signup",
      ip: "198.51.100.7",
      userAgent: "vitest",
      detail: "form: webinar",
    });
    expect(await db.enrollment.findFirst({ where: { contactId: contact.id } })).toMatchObject({ sequenceId: sequence.id, source: "trigger:signup" });
  });

  it("a malformed email answers 422 with field errors and writes nothing", async () => {
    await signupSequence();
    const response = await signup({ email: "not-an-email", firstName: "x".repeat(101) });
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.error.code).toBe("validation");
    expect(Object.keys(body.error.fieldErrors).sort()).toEqual(["email", "firstName"]);
    expect(await counts()).toEqual({ contacts: 0, enrollments: 0, events: 0, consents: 0, rateLimits: 0 });
  });

  it("a body that is not JSON answers 400 and writes nothing", async () => {
    const response = await signup("{email:");
    expect(response.status).toBe(400);
    expect(await counts()).toMatchObject({ contacts: 0, rateLimits: 0 });
  });

  it("a known email answers exactly like a new one, and nothing about the contact changes", async () => {
    await signupSequence();
    const existing = await makeContact(db, { email: "known@example.com", firstName: "Known" });

    const fresh = await signup({ email: "new@example.com", firstName: "Someone" });
    const known = await signup({ email: "KNOWN@example.com", firstName: "Someone" });

    expect(known.status).toBe(fresh.status);
    expect(await known.text()).toBe(await fresh.text());
    expect([...known.headers.entries()].sort()).toEqual([...fresh.headers.entries()].sort());
    expect(await db.contact.findUniqueOrThrow({ where: { id: existing.id } })).toMatchObject({ firstName: "Known", status: "subscribed" });
    expect(await db.contact.count()).toBe(2);
  });

  it.each([
    ["unsubscribed", { status: "unsubscribed" as const, unsubscribedAt: new Date("2026-01-01T00:00:00Z") }],
    ["bounced", { status: "bounced" as const, bouncedAt: new Date("2026-01-01T00:00:00Z") }],
    ["deleted", { deletedAt: new Date("2026-01-01T00:00:00Z") }],
  ])("an %s contact is left alone: not resubscribed, not enrolled, same answer", async (_label, data) => {
    await signupSequence();
    const contact = await makeContact(db, { email: "gone@example.com", ...data });
    const before = await counts();

    const response = await signup({ email: "gone@example.com" });

    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ ok: true });
    const after = await db.contact.findUniqueOrThrow({ where: { id: contact.id } });
    expect(after).toMatchObject({ status: contact.status, unsubscribedAt: contact.unsubscribedAt, bouncedAt: contact.bouncedAt, deletedAt: contact.deletedAt });
    expect(await counts()).toEqual({ ...before, rateLimits: before.rateLimits + 1 });
    expect(events.sent).toHaveLength(0);
  });

  it("concurrent signups of one new email make one contact and one enrollment", async () => {
    const sequence = await signupSequence();
    const responses = await Promise.all(Array.from({ length: 8 }, () => signup({ email: "race@example.com" })));
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(202));
    expect(await db.contact.count()).toBe(1);
    expect(await db.consentEvent.count()).toBe(1);
    expect(await db.enrollment.count({ where: { sequenceId: sequence.id } })).toBe(1);
  });

  it(`allows ${SIGNUP_RATE_LIMIT.limit} signups per IP per window, then answers 429 without signing up`, async () => {
    const start = Date.UTC(2026, 2, 1, 12, 0, 0);
    let at = start;
    setClock({ now: () => at });
    const ip = "192.0.2.55";

    for (let i = 0; i < SIGNUP_RATE_LIMIT.limit; i++) {
      expect((await signup({ email: `user${i}@example.com` }, ip)).status).toBe(202);
    }
    const limited = await signup({ email: "one-too-many@example.com" }, ip);
    expect(limited.status).toBe(429);
    expect((await limited.json()).error.code).toBe("rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBe(SIGNUP_RATE_LIMIT.windowMs / 1000);
    expect(await db.contact.findUnique({ where: { email: "one-too-many@example.com" } })).toBeNull();

    // Another address has its own budget; the next window starts afresh.
    expect((await signup({ email: "neighbour@example.com" }, "192.0.2.56")).status).toBe(202);
    at = start + SIGNUP_RATE_LIMIT.windowMs;
    expect((await signup({ email: "one-too-many@example.com" }, ip)).status).toBe(202);
    expect(await db.contact.count()).toBe(SIGNUP_RATE_LIMIT.limit + 2);
  });
});

describe("POST /api/signup with double opt-in (the default)", () => {
  const confirmationLink = async (email: string) => {
    const message = await db.caughtMessage.findFirstOrThrow({ where: { toAddress: email }, orderBy: { createdAt: "desc" } });
    const token = /\/signup\/confirm\/([^\s"<]+)/.exec(message.text)?.[1];
    expect(token).toBeTruthy();
    return { message, token: token! };
  };

  it("a new address gets only a confirmation email: no contact, no consent, no trigger, nothing it typed in the mail", async () => {
    const sequence = await signupSequence();
    const response = await signup({ email: "stranger@example.com", firstName: "Claim your prize at http://evil.example" });
    expect(response.status).toBe(202);
    expect(await db.contact.count()).toBe(0);
    expect(await db.consentEvent.count()).toBe(0);
    expect(await db.enrollment.count({ where: { sequenceId: sequence.id } })).toBe(0);
    expect(events.sent).toEqual([]);
    const mails = await db.caughtMessage.findMany();
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ toAddress: "stranger@example.com" });
    for (const part of [mails[0].subject, mails[0].text, mails[0].html]) expect(part).not.toMatch(/prize|evil/);
  });

  it("the emailed link confirms once: the contact is subscribed, consent records the confirmation, signup triggers fire", async () => {
    const sequence = await signupSequence();
    await signup({ email: "ada@example.com", firstName: "Ada" });
    const { token } = await confirmationLink("ada@example.com");
    const { confirmSignup } = await import("../../lib/contacts/signup-confirmation");
    const { signUp } = await import("../../lib/contacts/signup");

    expect(await confirmSignup(db, token, signUp)).toEqual({ ok: true, status: "confirmed" });
    expect(await db.contact.findUniqueOrThrow({ where: { email: "ada@example.com" } })).toMatchObject({ status: "subscribed", firstName: "Ada" });
    expect((await db.consentEvent.findFirstOrThrow()).detail).toMatch(/confirmed by email link/);
    expect(await db.enrollment.count({ where: { sequenceId: sequence.id } })).toBe(1);

    expect(await confirmSignup(db, token, signUp)).toEqual({ ok: true, status: "already_confirmed" });
    expect(await db.enrollment.count({ where: { sequenceId: sequence.id } })).toBe(1);
    expect(await db.consentEvent.count()).toBe(1);
  });

  it("an expired or edited link confirms nothing", async () => {
    await signupSequence();
    await signup({ email: "late@example.com" });
    const { token } = await confirmationLink("late@example.com");
    const { confirmSignup } = await import("../../lib/contacts/signup-confirmation");
    const { signUp } = await import("../../lib/contacts/signup");
    const [id, exp, signature] = token.split(".");
    expect(await confirmSignup(db, `${id}.${Number(exp) + 3600}.${signature}`, signUp)).toEqual({ ok: false, reason: "invalid" });
    setClock({ now: () => Number(exp) * 1000 + 1000 });
    expect(await confirmSignup(db, token, signUp)).toEqual({ ok: false, reason: "expired" });
    expect(await db.contact.count()).toBe(0);
  });

  it("answers new, existing, unsubscribed, bounced and deleted addresses identically; only addresses that may be mailed get a confirmation", async () => {
    await makeContact(db, { email: "known@example.com" });
    await makeContact(db, { email: "unsub@example.com", status: "unsubscribed", unsubscribedAt: new Date() });
    await makeContact(db, { email: "bounced@example.com", status: "bounced", bouncedAt: new Date() });
    await makeContact(db, { email: "deleted@example.com", deletedAt: new Date() });
    const answers = [];
    for (const email of ["new@example.com", "known@example.com", "unsub@example.com", "bounced@example.com", "deleted@example.com"]) {
      const response = await signup({ email, firstName: "Someone" });
      answers.push({ status: response.status, body: await response.text(), headers: [...response.headers.entries()].sort() });
    }
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect((await db.caughtMessage.findMany({ select: { toAddress: true } })).map((m) => m.toAddress).sort()).toEqual(["known@example.com", "new@example.com"]);
    expect(await db.contact.findUniqueOrThrow({ where: { email: "unsub@example.com" } })).toMatchObject({ status: "unsubscribed" });
  });

  it("one address gets at most 3 confirmation emails a day, whoever asks", async () => {
    for (let i = 0; i < 5; i++) expect((await signup({ email: "victim@example.com" })).status).toBe(202);
    expect(await db.caughtMessage.count({ where: { toAddress: "victim@example.com" } })).toBe(3);
  });
});
