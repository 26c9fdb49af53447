import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { authenticateApiKey } from "../../lib/api-keys/authenticate";
import { hashApiKey } from "../../lib/api-keys/key-format";
import { createApiKey, listApiKeys, revokeApiKey } from "../../lib/api-keys/manage";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";
import { testDatabaseUrl } from "../support/database-url";

const db = testDb();
const events = recordEvents();

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Routes = {
  contacts: { POST: Handler };
  contact: { GET: Handler; PATCH: Handler };
  tags: { POST: Handler; DELETE: Handler };
  score: { PUT: Handler };
  enrollments: { POST: Handler; DELETE: Handler };
};
let routes: Routes;
let key: string;

beforeAll(async () => {
  process.env.DATABASE_URL = testDatabaseUrl();
  routes = {
    contacts: (await import("../../app/api/v1/contacts/route")) as unknown as Routes["contacts"],
    contact: (await import("../../app/api/v1/contacts/[id]/route")) as unknown as Routes["contact"],
    tags: (await import("../../app/api/v1/contacts/[id]/tags/route")) as unknown as Routes["tags"],
    score: (await import("../../app/api/v1/contacts/[id]/score/route")) as unknown as Routes["score"],
    enrollments: (await import("../../app/api/v1/enrollments/route")) as unknown as Routes["enrollments"],
  };
});
beforeEach(async () => {
  await resetDb();
  events.sent.length = 0;
  ({ key } = await createApiKey(db, { name: "CRM sync" }));
});
afterAll(() => events.restore());

async function call(
  handler: Handler,
  options: { method: string; body?: unknown; id?: string; auth?: string | null },
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const auth = options.auth === undefined ? `Bearer ${key}` : options.auth;
  if (auth !== null) headers.authorization = auth;
  const request = new Request(`http://localhost:3000/api/v1/x`, {
    method: options.method,
    headers,
    body: options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body),
  });
  const params: Record<string, string> = options.id ? { id: options.id } : {};
  const response = await handler(request, { params: Promise.resolve(params) });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

async function tagTrigger(tagName: string) {
  const tag = await db.tag.create({ data: { name: tagName } });
  const sequence = await makeSequence(db);
  await db.sequenceTrigger.create({ data: { sequenceId: sequence.id, type: "tag_added", tagId: tag.id } });
  return sequence;
}

const snapshot = async () => ({
  contacts: await db.contact.findMany({ orderBy: { id: "asc" } }),
  tags: await db.contactTag.count(),
  enrollments: await db.enrollment.findMany({ orderBy: { id: "asc" } }),
});

describe("API keys", () => {
  it("are shown once as sw_live_<32 chars>; only a hash and a prefix are stored", async () => {
    const { key: plain, apiKey } = await createApiKey(db, { name: "Zapier" });
    expect(plain).toMatch(/^sw_live_[A-Za-z0-9_-]{32}$/);
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(row.hash).toBe(hashApiKey(plain));
    expect(row.hash).not.toContain(plain.slice(8));
    expect(row.prefix).toBe(plain.slice(0, 12));
    const listed = await listApiKeys(db);
    expect(listed).toHaveLength(2);
    for (const item of listed) expect(Object.keys(item).sort()).toEqual(["createdAt", "id", "lastUsedAt", "name", "prefix", "revokedAt"]);
  });

  it("authenticate parses the Bearer header, refuses revoked keys and records use", async () => {
    const [stored] = await listApiKeys(db);
    expect(stored.lastUsedAt).toBeNull();
    expect(await authenticateApiKey(db, `bearer  ${key}`)).toEqual({ apiKeyId: stored.id, name: "CRM sync" });
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: stored.id } })).lastUsedAt).not.toBeNull();
    for (const header of [null, "", key, `Basic ${key}`, `Bearer ${key}x`, `Bearer ${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`]) {
      expect(await authenticateApiKey(db, header)).toBeNull();
    }
    await revokeApiKey(db, { id: stored.id });
    await revokeApiKey(db, { id: stored.id }); // idempotent
    expect(await authenticateApiKey(db, `Bearer ${key}`)).toBeNull();
  });
});

describe("authentication of every endpoint", () => {
  it("missing, wrong and revoked keys get 401 and change nothing", async () => {
    const contact = await makeContact(db);
    const sequence = await makeSequence(db);
    const other = await createApiKey(db, { name: "old" });
    await revokeApiKey(db, { id: other.apiKey.id });
    const before = await snapshot();

    const attempts: [Handler, string, unknown, string?][] = [
      [routes.contacts.POST, "POST", { email: "new@example.com", tags: ["x"] }],
      [routes.contact.GET, "GET", undefined, contact.id],
      [routes.contact.PATCH, "PATCH", { firstName: "Mallory" }, contact.id],
      [routes.tags.POST, "POST", { tags: ["x"] }, contact.id],
      [routes.tags.DELETE, "DELETE", { tags: ["x"] }, contact.id],
      [routes.score.PUT, "PUT", { score: 99 }, contact.id],
      [routes.enrollments.POST, "POST", { contactId: contact.id, sequenceId: sequence.id }],
      [routes.enrollments.DELETE, "DELETE", { contactId: contact.id, sequenceId: sequence.id }],
    ];
    const badAuth = [null, "Bearer sw_live_" + "A".repeat(32), `Bearer ${other.key}`, "Bearer garbage", `Token ${key}`];
    for (const [handler, method, body, id] of attempts) {
      for (const auth of badAuth) {
        const response = await call(handler, { method, body, id, auth });
        expect(response.status, `${method} with ${auth}`).toBe(401);
        expect(response.body.error.code).toBe("unauthenticated");
        expect(response.headers.get("www-authenticate")).toContain("Bearer");
      }
    }
    expect(await snapshot()).toEqual(before);
    expect(events.sent).toHaveLength(0);
  });
});

describe("contacts", () => {
  it("POST creates a contact whose tags enroll it through the trigger; a second POST updates it", async () => {
    const sequence = await tagTrigger("vip");

    const created = await call(routes.contacts.POST, {
      method: "POST",
      body: { email: "Ada@Example.com", firstName: "Ada", tags: ["VIP", "beta"], leadScore: 5, timezone: "Europe/Paris", attributes: { company: "Acme", seats: 3, pro: true } },
    });
    expect(created.status).toBe(201);
    expect(created.body.created).toBe(true);
    expect(created.body.contact).toMatchObject({
      email: "ada@example.com",
      firstName: "Ada",
      leadScore: 5,
      status: "subscribed",
      timezone: "Europe/Paris",
      attributes: { company: "Acme", seats: 3, pro: true },
      tags: ["beta", "vip"],
    });
    expect(Object.keys(created.body.contact).sort()).toEqual(
      ["activeEnrollments", "attributes", "createdAt", "email", "firstName", "id", "lastName", "leadScore", "status", "tags", "timezone", "updatedAt"],
    );
    const contactId = created.body.contact.id;
    expect(await db.enrollment.findFirst({ where: { contactId } })).toMatchObject({ sequenceId: sequence.id, source: "trigger:tag_added" });
    expect(created.body.contact.activeEnrollments).toHaveLength(1);

    const updated = await call(routes.contacts.POST, { method: "POST", body: { email: "ada@example.com", lastName: "Lovelace", tags: ["vip"], attributes: { seats: 4 } } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ created: false, contact: { id: contactId, firstName: "Ada", lastName: "Lovelace", attributes: { company: "Acme", seats: 4, pro: true } } });
    expect(await db.enrollment.count({ where: { contactId } })).toBe(1);
  });

  it("POST with fireTriggers: false tags without enrolling", async () => {
    await tagTrigger("vip");
    const response = await call(routes.contacts.POST, { method: "POST", body: { email: "quiet@example.com", tags: ["vip"], fireTriggers: false } });
    expect(response.status).toBe(201);
    expect(response.body.contact.tags).toEqual(["vip"]);
    expect(await db.enrollment.count()).toBe(0);
  });

  it("POST refuses to bring back a deleted contact (409)", async () => {
    await makeContact(db, { email: "gone@example.com", deletedAt: new Date() });
    const response = await call(routes.contacts.POST, { method: "POST", body: { email: "gone@example.com", firstName: "Back" } });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe("conflict");
    expect((await db.contact.findUniqueOrThrow({ where: { email: "gone@example.com" } })).firstName).toBe("Test");
  });

  it("validation errors are 422 with field errors, and nothing is written", async () => {
    const response = await call(routes.contacts.POST, {
      method: "POST",
      body: { email: "nope", tags: ["", "x".repeat(51)], leadScore: 1.5, timezone: "Mars/Olympus", attributes: { "bad key": 1, nested: { a: 1 } }, fireTriggers: "yes" },
    });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe("validation");
    expect(Object.keys(response.body.error.fieldErrors).sort()).toEqual(
      ["attributes.bad key", "attributes.nested", "email", "fireTriggers", "leadScore", "tags.0", "tags.1", "timezone"].sort(),
    );
    expect(await db.contact.count()).toBe(0);
    expect(await db.tag.count()).toBe(0);

    const tooMany = await call(routes.contacts.POST, {
      method: "POST",
      body: { email: "a@example.com", attributes: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) },
    });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.fieldErrors.attributes).toBeDefined();

    const notJson = await call(routes.contacts.POST, { method: "POST", body: "{" });
    expect(notJson.status).toBe(400);
    expect(await db.contact.count()).toBe(0);
  });

  it("GET shows explicit fields; unknown or deleted contacts are 404", async () => {
    const contact = await makeContact(db, { email: "show@example.com" });
    const deleted = await makeContact(db, { deletedAt: new Date() });
    const shown = await call(routes.contact.GET, { method: "GET", id: contact.id });
    expect(shown.status).toBe(200);
    expect(shown.body.contact).toMatchObject({ id: contact.id, email: "show@example.com", tags: [], activeEnrollments: [] });
    expect(shown.body.contact).not.toHaveProperty("deletedAt");
    expect((await call(routes.contact.GET, { method: "GET", id: deleted.id })).status).toBe(404);
    expect((await call(routes.contact.GET, { method: "GET", id: "not-a-real-id" })).status).toBe(404);
  });

  it("PATCH updates name, time zone and attributes (null removes); other fields are refused", async () => {
    const contact = await makeContact(db, { attributes: { plan: "free", seats: 1 } });
    const patched = await call(routes.contact.PATCH, {
      method: "PATCH",
      id: contact.id,
      body: { firstName: "Grace", lastName: null, timezone: "America/New_York", attributes: { plan: "pro", seats: null } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.contact).toMatchObject({ firstName: "Grace", lastName: null, timezone: "America/New_York", attributes: { plan: "pro" } });

    const refused = await call(routes.contact.PATCH, { method: "PATCH", id: contact.id, body: { email: "x@example.com", status: "subscribed", timezone: "Nowhere/Land" } });
    expect(refused.status).toBe(422);
    expect(Object.keys(refused.body.error.fieldErrors).sort()).toEqual(["_", "timezone"]);
    expect(await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).toMatchObject({ email: contact.email, timezone: "America/New_York" });

    expect((await call(routes.contact.PATCH, { method: "PATCH", id: "missing", body: { firstName: "X" } })).status).toBe(404);
  });

  it("tags: POST adds (firing triggers once), DELETE removes", async () => {
    const sequence = await tagTrigger("hot");
    const contact = await makeContact(db);

    const added = await call(routes.tags.POST, { method: "POST", id: contact.id, body: { tags: ["Hot", "lead"] } });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ added: 2, triggers: { enrolled: 1, alreadyEnrolled: 0, refused: 0 }, tags: ["hot", "lead"] });
    const again = await call(routes.tags.POST, { method: "POST", id: contact.id, body: { tags: ["hot"] } });
    expect(again.body).toMatchObject({ added: 0, triggers: { enrolled: 0 } });
    expect(await db.enrollment.count({ where: { sequenceId: sequence.id } })).toBe(1);

    const removed = await call(routes.tags.DELETE, { method: "DELETE", id: contact.id, body: { tags: ["HOT"] } });
    expect(removed.body).toEqual({ removed: 1, tags: ["lead"] });

    expect((await call(routes.tags.POST, { method: "POST", id: contact.id, body: { tags: [] } })).status).toBe(422);
    expect((await call(routes.tags.POST, { method: "POST", id: "missing", body: { tags: ["a"] } })).status).toBe(404);
  });

  it("score: PUT sets or adjusts, crossing a threshold enrolls; both or neither is 422", async () => {
    const sequence = await makeSequence(db);
    await db.sequenceTrigger.create({ data: { sequenceId: sequence.id, type: "score_threshold", scoreThreshold: 50 } });
    const contact = await makeContact(db);

    const set = await call(routes.score.PUT, { method: "PUT", id: contact.id, body: { score: 40 } });
    expect(set.body).toEqual({ previous: 0, leadScore: 40, triggers: { enrolled: 0, alreadyEnrolled: 0, refused: 0 } });
    const bumped = await call(routes.score.PUT, { method: "PUT", id: contact.id, body: { delta: 15 } });
    expect(bumped.body).toEqual({ previous: 40, leadScore: 55, triggers: { enrolled: 1, alreadyEnrolled: 0, refused: 0 } });

    expect((await call(routes.score.PUT, { method: "PUT", id: contact.id, body: { score: 1, delta: 1 } })).status).toBe(422);
    expect((await call(routes.score.PUT, { method: "PUT", id: contact.id, body: {} })).status).toBe(422);
    expect((await call(routes.score.PUT, { method: "PUT", id: contact.id, body: { score: "10" } })).status).toBe(422);
    expect((await call(routes.score.PUT, { method: "PUT", id: "missing", body: { score: 1 } })).status).toBe(404);
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).leadScore).toBe(55);
  });
});

describe("enrollments", () => {
  it("POST answers 201 enrolled, 200 already enrolled, 409 refused with the reason, 404 unknown", async () => {
    const sequence = await makeSequence(db);
    const contact = await makeContact(db, { email: "enrol@example.com" });
    const unsubscribed = await makeContact(db, { status: "unsubscribed" });

    const enrolled = await call(routes.enrollments.POST, { method: "POST", body: { email: "ENROL@example.com", sequenceId: sequence.id } });
    expect(enrolled.status).toBe(201);
    const live = await db.enrollment.findFirstOrThrow({ where: { contactId: contact.id } });
    expect(enrolled.body).toEqual({ outcome: "enrolled", enrollmentId: live.id });
    expect(live.source).toBe("api");

    const again = await call(routes.enrollments.POST, { method: "POST", body: { contactId: contact.id, sequenceId: sequence.id } });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ outcome: "already_enrolled", enrollmentId: live.id });

    const refused = await call(routes.enrollments.POST, { method: "POST", body: { contactId: unsubscribed.id, sequenceId: sequence.id } });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ outcome: "refused", reason: "contact_unsubscribed", error: { code: "conflict" } });

    const unknown = await call(routes.enrollments.POST, { method: "POST", body: { email: "nobody@example.com", sequenceId: sequence.id } });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ outcome: "refused", reason: "contact_not_found" });

    const invalid = await call(routes.enrollments.POST, { method: "POST", body: { contactId: contact.id, email: "enrol@example.com", sequenceId: "x" } });
    expect(invalid.status).toBe(422);
    expect(Object.keys(invalid.body.error.fieldErrors).sort()).toEqual(["contactId", "sequenceId"]);
    expect(await db.enrollment.count()).toBe(1);
  });

  it("DELETE ends the live enrollment with reason removed; a second DELETE removes nothing", async () => {
    const sequence = await makeSequence(db);
    const contact = await makeContact(db);
    await call(routes.enrollments.POST, { method: "POST", body: { contactId: contact.id, sequenceId: sequence.id } });

    const removed = await call(routes.enrollments.DELETE, { method: "DELETE", body: { contactId: contact.id, sequenceId: sequence.id } });
    expect(removed).toMatchObject({ status: 200, body: { removed: 1 } });
    expect(await db.enrollment.findFirstOrThrow({ where: { contactId: contact.id } })).toMatchObject({ status: "removed", exitReason: "removed" });
    expect(events.sent.map((e) => e.name)).toContain("contact.removed");

    const again = await call(routes.enrollments.DELETE, { method: "DELETE", body: { contactId: contact.id, sequenceId: sequence.id } });
    expect(again.body).toEqual({ removed: 0 });
  });
});
