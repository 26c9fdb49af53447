/**
 * The audit log: every audited server action, called for real through the
 * action catalog with a real session, writes exactly one AuditEvent naming
 * the user, the client address and the object's state before and after;
 * the table refuses UPDATE and DELETE; a refused change writes no row.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Role } from "../../lib/auth/roles";
import { ACTION_CATALOG, makeActionFixtures, serverActionsOnDisk } from "../support/action-catalog";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { actAs, signInAs, type SignedInUser } from "../support/fault-session";
import { testDatabaseUrl } from "../support/database-url";

vi.mock("next/headers", async () => (await import("../support/fault-session")).nextHeadersMock);
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

process.env.DATABASE_URL = testDatabaseUrl();
process.env.STEPWISE_SIGNING_SECRET ??= "fault-suite-signing-secret-0123456789";

const db = testDb();
const events = recordEvents();
let users: Record<"marketer" | "admin", SignedInUser>;
let actions: Awaited<ReturnType<typeof serverActionsOnDisk>>;

beforeAll(async () => {
  await resetDb(db);
  users = { marketer: await signInAs(db, "marketer"), admin: await signInAs(db, "admin") };
  actions = await serverActionsOnDisk();
});
afterAll(() => events.restore());

/** Audited action -> its code, object type, and whether the object existed before / exists after. */
const AUDITED: Record<string, { code: string; object: string; before: boolean; after: boolean }> = {
  createSequenceAction: { code: "sequence.create", object: "sequence", before: false, after: true },
  updateSequenceSettingsAction: { code: "sequence.edit", object: "sequence", before: true, after: true },
  activateSequenceAction: { code: "sequence.activate", object: "sequence", before: true, after: true },
  pauseSequenceAction: { code: "sequence.pause", object: "sequence", before: true, after: true },
  resumeSequenceAction: { code: "sequence.resume", object: "sequence", before: true, after: true },
  archiveSequenceAction: { code: "sequence.archive", object: "sequence", before: true, after: true },
  duplicateSequenceAction: { code: "sequence.duplicate", object: "sequence", before: false, after: true },
  updateSequenceScheduleAction: { code: "sequence.schedule", object: "sequence", before: true, after: true },
  setSequenceTrackingAction: { code: "sequence.tracking", object: "sequence", before: true, after: true },
  publishDraftAction: { code: "sequence.publish", object: "sequence", before: true, after: true },
  discardDraftAction: { code: "sequence.discard_draft", object: "sequence", before: true, after: true },
  addStepAction: { code: "step.add", object: "sequence", before: true, after: true },
  updateStepAction: { code: "step.edit", object: "sequence", before: true, after: true },
  deleteStepAction: { code: "step.delete", object: "sequence", before: true, after: true },
  reorderStepsAction: { code: "step.reorder", object: "sequence", before: true, after: true },
  saveTemplateAction: { code: "template.save", object: "template", before: false, after: true },
  renameTemplateAction: { code: "template.rename", object: "template", before: true, after: true },
  deleteTemplateAction: { code: "template.delete", object: "template", before: true, after: false },
  createSnippetAction: { code: "snippet.create", object: "snippet", before: false, after: true },
  renameSnippetAction: { code: "snippet.rename", object: "snippet", before: true, after: true },
  deleteSnippetAction: { code: "snippet.delete", object: "snippet", before: true, after: false },
  addTriggerAction: { code: "trigger.add", object: "sequence", before: true, after: true },
  removeTriggerAction: { code: "trigger.remove", object: "sequence", before: true, after: true },
  enrollContactAction: { code: "contact.enroll", object: "contact", before: true, after: true },
  removeFromSequenceAction: { code: "contact.remove", object: "contact", before: true, after: true },
  markRepliedAction: { code: "contact.mark_replied", object: "contact", before: true, after: true },
  deleteContactAction: { code: "contact.delete", object: "contact", before: true, after: true },
  importContactsAction: { code: "contact.import", object: "contact", before: false, after: true },
  createApiKeyAction: { code: "api_key.create", object: "api_key", before: false, after: true },
  revokeApiKeyAction: { code: "api_key.revoke", object: "api_key", before: true, after: true },
  saveMailboxAction: { code: "mailbox.save", object: "mailbox", before: false, after: true },
  removeMailboxAction: { code: "mailbox.remove", object: "mailbox", before: true, after: false },
  createSenderAction: { code: "sender.create", object: "sender", before: false, after: true },
  updateSenderAction: { code: "sender.edit", object: "sender", before: true, after: true },
  deleteSenderAction: { code: "sender.delete", object: "sender", before: true, after: false },
  // The object is the choice of default (environment -> this sender), which exists before and after.
  setDefaultSenderAction: { code: "sender.default", object: "sender", before: true, after: true },
  updateContactProfileAction: { code: "contact.edit", object: "contact", before: true, after: true },
  setLeadScoreAction: { code: "contact.score", object: "contact", before: true, after: true },
  bulkAddTagAction: { code: "contact.tag", object: "contact", before: false, after: true },
  bulkRemoveTagAction: { code: "contact.untag", object: "contact", before: false, after: true },
  bulkEnrollAction: { code: "contact.bulk_enroll", object: "contact", before: false, after: true },
  createWebhookEndpointAction: { code: "webhook.create", object: "webhook", before: false, after: true },
  updateWebhookEndpointAction: { code: "webhook.edit", object: "webhook", before: true, after: true },
  setWebhookEndpointEnabledAction: { code: "webhook.disable", object: "webhook", before: true, after: true },
  deleteWebhookEndpointAction: { code: "webhook.delete", object: "webhook", before: true, after: false },
  rotateWebhookSecretAction: { code: "webhook.rotate_secret", object: "webhook", before: true, after: true },
  revealWebhookSecretAction: { code: "webhook.reveal_secret", object: "webhook", before: false, after: false },
  replayWebhookDeliveryAction: { code: "webhook.replay", object: "webhook", before: false, after: false },
};

const entries = ACTION_CATALOG.filter((e) => e.exportName in AUDITED);

describe("each audited action writes exactly one audit row", () => {
  it("every action named in the brief is in the catalog", () => {
    expect(entries.map((e) => e.exportName).sort()).toEqual(Object.keys(AUDITED).sort());
  });

  it.each(entries)("$exportName", async (entry) => {
    const expected = AUDITED[entry.exportName];
    const role = entry.access.kind === "role" ? (entry.access.role as Role) : "admin";
    const user = users[role === "admin" ? "admin" : "marketer"];
    const fx = await makeActionFixtures(db);
    if (entry.exportName === "removeMailboxAction") {
      const data = { host: "imap.example.com", port: 993, username: "inbox@example.com", secretEncrypted: "x" };
      await db.mailbox.upsert({ where: { id: "default" }, create: data, update: data });
    }
    const ip = `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
    actAs(user.cookie, ip);
    const since = (await db.auditEvent.aggregate({ _max: { id: true } }))._max.id ?? 0n;

    const fn = actions.find((a) => a.file === entry.file && a.exportName === entry.exportName)!.fn as unknown as (input: unknown) => Promise<{ ok: boolean }>;
    expect(await fn(entry.input!(fx))).toMatchObject({ ok: true });

    const rows = await db.auditEvent.findMany({ where: { id: { gt: since } } });
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({ action: expected.code, objectType: expected.object, actorType: "user", actorId: user.id, actorLabel: user.email, ip, userAgent: "fault-suite" });
    expect(row.before !== null).toBe(expected.before);
    expect(row.after !== null).toBe(expected.after);
    if (expected.before && expected.after) expect(row.after).not.toEqual(row.before);
    // Secrets never reach the log.
    expect(JSON.stringify({ ...row, id: String(row.id) })).not.toMatch(/app-password|"hash"|secretEncrypted|whsec_/);
  });
});

describe("what the rows say", () => {
  it("pause records the status before and after, the sequence's name, and a refused repeat records nothing", async () => {
    const fx = await makeActionFixtures(db);
    const pause = actions.find((a) => a.exportName === "pauseSequenceAction")!.fn as unknown as (input: unknown) => Promise<{ ok: boolean }>;
    actAs(users.marketer.cookie, "203.0.113.7");
    expect(await pause({ sequenceId: fx.active.id })).toMatchObject({ ok: true });
    const row = await db.auditEvent.findFirstOrThrow({ where: { objectId: fx.active.id, action: "sequence.pause" } });
    expect(row.before).toMatchObject({ status: "active" });
    expect(row.after).toMatchObject({ status: "paused" });
    expect(row.objectLabel).toBe(`Active ${fx.suffix}`);

    expect(await pause({ sequenceId: fx.active.id })).toMatchObject({ ok: false, code: "conflict" });
    expect(await db.auditEvent.count({ where: { objectId: fx.active.id } })).toBe(1);
  });

  it("the exports record who downloaded what", async () => {
    const { GET } = await import("../../app/api/contacts/export/route");
    actAs(users.marketer.cookie, "203.0.113.8");
    const response = await GET(new Request("http://localhost:3000/api/contacts/export?status=subscribed"));
    expect(response.status).toBe(200);
    await response.text();
    const row = await db.auditEvent.findFirstOrThrow({ where: { action: "contact.export" }, orderBy: { id: "desc" } });
    expect(row).toMatchObject({ actorId: users.marketer.id, ip: "203.0.113.8", detail: "?status=subscribed" });
  });
});

describe("API-key actions record the key", () => {
  it("POST and DELETE /api/v1/enrollments each write one row naming the key", async () => {
    const { POST, DELETE } = await import("../../app/api/v1/enrollments/route");
    const fx = await makeActionFixtures(db);
    const call = (handler: typeof POST, body: unknown) =>
      handler(new Request("http://localhost:3000/api/v1/enrollments", { method: "POST", headers: { authorization: `Bearer ${fx.apiKey.key}`, "content-type": "application/json", "x-forwarded-for": "203.0.113.44" }, body: JSON.stringify(body) }), { params: Promise.resolve({}) });
    actAs(null, "203.0.113.44");
    expect((await call(POST, { contactId: fx.other.id, sequenceId: fx.active.id })).status).toBe(201);
    expect((await call(DELETE, { contactId: fx.other.id, sequenceId: fx.active.id })).status).toBe(200);
    const rows = await db.auditEvent.findMany({ where: { objectId: fx.other.id }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.action, r.actorType, r.actorId, r.ip])).toEqual([
      ["contact.enroll", "api_key", fx.apiKey.id, "203.0.113.44"],
      ["contact.remove", "api_key", fx.apiKey.id, "203.0.113.44"],
    ]);
  });
});

describe("the /api/v1 contact routes record the key, like their UI equivalents", () => {
  it("create, update, PATCH, score, tag and untag each write one row naming the key, with before and after", async () => {
    const fx = await makeActionFixtures(db);
    const email = `api-${fx.suffix}@example.com`;
    const call = async (path: string, method: string, body: unknown, params: Record<string, string> = {}) => {
      const route = path.endsWith("/score") ? await import("../../app/api/v1/contacts/[id]/score/route") : path.endsWith("/tags") ? await import("../../app/api/v1/contacts/[id]/tags/route") : params.id ? await import("../../app/api/v1/contacts/[id]/route") : await import("../../app/api/v1/contacts/route");
      const handler = (route as unknown as Record<string, (r: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>>)[method];
      const request = new Request(`http://localhost:3000${path}`, { method, headers: { authorization: `Bearer ${fx.apiKey.key}`, "content-type": "application/json", "x-forwarded-for": "203.0.113.45" }, body: JSON.stringify(body) });
      return (await handler(request, { params: Promise.resolve(params) })).status;
    };
    actAs(null, "203.0.113.45");
    const since = (await db.auditEvent.aggregate({ _max: { id: true } }))._max.id ?? 0n;
    expect(await call("/api/v1/contacts", "POST", { email, firstName: "Api" })).toBe(201);
    const { id } = await db.contact.findFirstOrThrow({ where: { email }, select: { id: true } });
    expect(await call("/api/v1/contacts", "POST", { email, firstName: "Api2" })).toBe(200);
    expect(await call(`/api/v1/contacts/${id}`, "PATCH", { lastName: "Patched" }, { id })).toBe(200);
    expect(await call(`/api/v1/contacts/${id}/score`, "PUT", { score: 7 }, { id })).toBe(200);
    expect(await call(`/api/v1/contacts/${id}/tags`, "POST", { tags: ["api-tag"] }, { id })).toBe(200);
    expect(await call(`/api/v1/contacts/${id}/tags`, "DELETE", { tags: ["api-tag"] }, { id })).toBe(200);
    const rows = await db.auditEvent.findMany({ where: { id: { gt: since } }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.action, r.actorType, r.actorId, r.objectId, r.ip])).toEqual(
      ["contact.create", "contact.edit", "contact.edit", "contact.score", "contact.tag", "contact.untag"].map((code) => [code, "api_key", fx.apiKey.id, id, "203.0.113.45"]),
    );
    expect(rows[0].before).toBeNull();
    expect(rows[2].after).toMatchObject({ lastName: "Patched" });
    expect(rows[3].after).toMatchObject({ leadScore: 7 });
    expect(rows[4].after).toMatchObject({ tags: [{ tag: { name: "api-tag" } }] });
  });
});

describe("the row and the change commit together", () => {
  it("when the audit row cannot be written, the change it describes is rolled back", async () => {
    const { audited } = await import("../../lib/audit/audited");
    const { pauseSequence } = await import("../../lib/sequences/status-transitions");
    const fx = await makeActionFixtures(db);
    // An actor type the database refuses: the insert fails inside the pause's transaction.
    const broken = { type: "robot" as "user", id: users.marketer.id, label: users.marketer.email };
    await expect(pauseSequence(audited(db, broken, "sequence.pause", { type: "sequence", id: fx.active.id }), { sequenceId: fx.active.id })).rejects.toThrow();
    expect(await db.sequence.findUniqueOrThrow({ where: { id: fx.active.id }, select: { status: true } })).toEqual({ status: "active" });
    expect(await db.auditEvent.count({ where: { objectId: fx.active.id } })).toBe(0);
  });
});

describe("the audit log is append-only", () => {
  it("refuses UPDATE and DELETE, even from the database's own client", async () => {
    const row = await db.auditEvent.create({ data: { actorType: "user", actorId: users.admin.id, actorLabel: users.admin.email, action: "user.role", objectType: "user" } });
    await expect(db.$executeRawUnsafe(`UPDATE "AuditEvent" SET "actorLabel" = 'someone else' WHERE "id" = ${row.id}`)).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe(`DELETE FROM "AuditEvent" WHERE "id" = ${row.id}`)).rejects.toThrow(/append-only/);
    expect(await db.auditEvent.findUniqueOrThrow({ where: { id: row.id } })).toEqual(row);
  });
});
