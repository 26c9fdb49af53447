import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { enrollContacts } from "../../lib/contacts/bulk-enroll";
import { contactProfile, contactTimeline } from "../../lib/contacts/contact-detail";
import { deleteContact } from "../../lib/contacts/delete-contact";
import { exportContactsCsv } from "../../lib/contacts/export";
import { parseCsv } from "../../lib/contacts/csv";
import { CONTACT_COUNT_CAP, queryContactList } from "../../lib/contacts/list-contacts";
import { updateContactProfile } from "../../lib/contacts/profile";
import { addTags } from "../../lib/contacts/tags";
import { setTransport } from "../../lib/email/transports";
import { AppError } from "../../lib/errors";
import { Prisma } from "../../lib/db/prisma";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { exitContact } from "../../lib/sequences/exit-contact";
import { sendStep } from "../../lib/sequences/run-step";
import { plannedSend } from "../support/plan";
import { contactListQuery, parseContactListParams, ZContactListParams, type TContactListParams } from "../../lib/validations/contact-list";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";

const db = testDb();
const events = recordEvents();

beforeEach(async () => {
  await resetDb();
  events.sent.length = 0;
});
afterAll(() => {
  events.restore();
  setTransport(null);
});

const params = (raw: Record<string, unknown> = {}): TContactListParams => ZContactListParams.parse(raw);
const emailsOf = async (raw: Record<string, unknown>, pageSize = 50) => (await queryContactList(db, params(raw), pageSize)).items.map((c) => c.email);

async function tag(contactIds: string[], name: string) {
  await addTags(db, { contactIds, tagNames: [name], source: "admin", fireTriggers: false });
  return db.tag.findFirstOrThrow({ where: { name } });
}

/** Six live contacts (created a second apart, in this order) and a deleted one. */
async function dataset() {
  const base = Date.UTC(2026, 0, 1);
  const spec = [
    { email: "ada@lovelace.dev", firstName: "Ada", lastName: "Lovelace", leadScore: 90, status: "subscribed" as const },
    { email: "bob@builder.io", firstName: "Bob", lastName: null, leadScore: 10, status: "subscribed" as const },
    { email: "carol@example.com", firstName: null, lastName: null, leadScore: 50, status: "unsubscribed" as const },
    { email: "dave@example.com", firstName: "Dave", lastName: "Zed", leadScore: 50, status: "bounced" as const },
    { email: "erin_100%@example.com", firstName: "Erin", lastName: "Adams", leadScore: -5, status: "subscribed" as const },
    { email: "frank@lovelace.dev", firstName: "Frank", lastName: "Lovelace", leadScore: 70, status: "subscribed" as const },
  ];
  const contacts: Record<string, { id: string }> = {};
  for (const [i, s] of spec.entries()) {
    contacts[s.email.split(/[@_]/)[0]] = await makeContact(db, { ...s, createdAt: new Date(base + i * 1000) });
  }
  await makeContact(db, { email: "gone@lovelace.dev", firstName: "Gone", deletedAt: new Date(), createdAt: new Date(base + 10_000) });
  return contacts;
}

describe("list parameters", () => {
  it("drop a malformed parameter on its own on pages, and are strict for the export", () => {
    const raw = { q: " ada ", tag: "not-an-id", status: "", scoreMin: "5", scoreMax: "lots", sort: "score", page: "x" };
    expect(parseContactListParams(raw)).toEqual({ q: "ada", tag: undefined, status: undefined, sequence: undefined, scoreMin: 5, scoreMax: undefined, sort: "score", dir: undefined, page: 1 });
    expect(ZContactListParams.safeParse(raw).success).toBe(false);
    expect(contactListQuery(parseContactListParams(raw), { page: 3 })).toBe("q=ada&scoreMin=5&sort=score&page=3");
  });
});

describe("queryContactList", () => {
  it("lists live contacts newest first by default and never the deleted ones", async () => {
    await dataset();
    const page = await queryContactList(db, params());
    expect(page.items.map((c) => c.email)).toEqual([
      "frank@lovelace.dev",
      "erin_100%@example.com",
      "dave@example.com",
      "carol@example.com",
      "bob@builder.io",
      "ada@lovelace.dev",
    ]);
    expect(page).toMatchObject({ total: 6, totalIsCapped: false, hasNextPage: false, page: 1 });
  });

  it("searches email and name, case-insensitively, treating % and _ as text", async () => {
    await dataset();
    expect(await emailsOf({ q: "LOVELACE", sort: "email" })).toEqual(["ada@lovelace.dev", "frank@lovelace.dev"]);
    expect(await emailsOf({ q: "ada", sort: "email" })).toEqual(["ada@lovelace.dev", "erin_100%@example.com"]); // Ada, and Erin Adams
    expect(await emailsOf({ q: "erin adams" })).toEqual(["erin_100%@example.com"]);
    expect(await emailsOf({ q: "100%" })).toEqual(["erin_100%@example.com"]);
    expect(await emailsOf({ q: "_" })).toEqual(["erin_100%@example.com"]);
    expect(await emailsOf({ q: "builder.io" })).toEqual(["bob@builder.io"]);
    expect(await emailsOf({ q: "gone" })).toEqual([]);
  });

  it("filters by status, tag, live enrollment in a sequence and score range, combined", async () => {
    const c = await dataset();
    const vip = await tag([c.ada.id, c.carol.id, c.frank.id], "vip");
    const sequence = await makeSequence(db);
    const other = await makeSequence(db);
    for (const contact of [c.ada, c.bob, c.frank]) {
      expect((await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" })).outcome).toBe("enrolled");
    }
    await enrollContact(db, { contactId: c.erin.id, sequenceId: other.id, source: "manual" });
    await exitContact(db, { contactId: c.frank.id, sequenceId: sequence.id, reason: "removed" }); // no longer live

    expect(await emailsOf({ status: "subscribed", sort: "email" })).toEqual(["ada@lovelace.dev", "bob@builder.io", "erin_100%@example.com", "frank@lovelace.dev"]);
    expect(await emailsOf({ status: "bounced" })).toEqual(["dave@example.com"]);
    expect(await emailsOf({ tag: vip.id, sort: "email" })).toEqual(["ada@lovelace.dev", "carol@example.com", "frank@lovelace.dev"]);
    expect(await emailsOf({ sequence: sequence.id, sort: "email" })).toEqual(["ada@lovelace.dev", "bob@builder.io"]);
    expect(await emailsOf({ scoreMin: "50", scoreMax: "70", sort: "email" })).toEqual(["carol@example.com", "dave@example.com", "frank@lovelace.dev"]);
    expect(await emailsOf({ scoreMax: "0" })).toEqual(["erin_100%@example.com"]);
    expect(await emailsOf({ tag: vip.id, status: "subscribed", scoreMin: "80" })).toEqual(["ada@lovelace.dev"]);

    const [ada] = (await queryContactList(db, params({ q: "ada@" }))).items;
    expect(ada).toMatchObject({ tags: ["vip"], liveEnrollments: 1 });
  });

  it("sorts by email, name (as displayed), score and creation, both ways", async () => {
    await dataset();
    expect(await emailsOf({ sort: "email", dir: "desc" })).toEqual([
      "frank@lovelace.dev",
      "erin_100%@example.com",
      "dave@example.com",
      "carol@example.com",
      "bob@builder.io",
      "ada@lovelace.dev",
    ]);
    // Carol has no name, so she sorts by her email, as the list shows her.
    expect(await emailsOf({ sort: "name" })).toEqual([
      "ada@lovelace.dev",
      "bob@builder.io",
      "carol@example.com",
      "dave@example.com",
      "erin_100%@example.com",
      "frank@lovelace.dev",
    ]);
    // Ties (Carol and Dave at 50) break on id, the same way in every query.
    const byScore = await emailsOf({ sort: "score" });
    expect(byScore[0]).toBe("ada@lovelace.dev");
    expect(byScore.slice(2, 4).sort()).toEqual(["carol@example.com", "dave@example.com"]);
    expect(byScore.at(-1)).toBe("erin_100%@example.com");
    expect(await emailsOf({ sort: "score", dir: "asc" })).toEqual([...byScore].reverse());
    expect(await emailsOf({ sort: "created", dir: "asc" })).toEqual(["ada@lovelace.dev", "bob@builder.io", "carol@example.com", "dave@example.com", "erin_100%@example.com", "frank@lovelace.dev"]);
  });

  it("paginates without overlaps or gaps, and says when there is a next page", async () => {
    await dataset();
    const seen: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const result = await queryContactList(db, params({ sort: "score", page: String(page) }), 2);
      expect(result.items).toHaveLength(2);
      expect(result.total).toBe(6);
      expect(result.hasNextPage).toBe(page < 3);
      seen.push(...result.items.map((c) => c.email));
    }
    expect(seen).toEqual(await emailsOf({ sort: "score" }));
    const beyond = await queryContactList(db, params({ page: "4" }), 2);
    expect(beyond).toMatchObject({ items: [], hasNextPage: false, total: 6 });
  });

  it("caps the count instead of counting every row of a huge match", async () => {
    await db.$executeRaw`
      INSERT INTO "Contact" ("id", "email", "updatedAt")
      SELECT gen_random_uuid()::text, 'bulk' || i || '@example.com', now() FROM generate_series(1, ${CONTACT_COUNT_CAP + 5}) AS i`;
    const result = await queryContactList(db, params({ sort: "email" }));
    expect(result).toMatchObject({ total: CONTACT_COUNT_CAP, totalIsCapped: true, hasNextPage: true });
    const narrow = await queryContactList(db, params({ q: "bulk7777@" }));
    expect(narrow).toMatchObject({ total: 1, totalIsCapped: false });

    // Past the cap a deep page is found by id, then read: the same rows as an
    // offset over the whole order (same-instant ties broken by id), deleted contacts left out.
    await db.$executeRaw`UPDATE "Contact" SET "deletedAt" = now() WHERE "email" IN ('bulk9990@example.com', 'bulk3@example.com')`;
    for (const [sort, dir, order] of [
      ["created", "desc", Prisma.sql`"createdAt" DESC, "id" DESC`],
      ["created", "asc", Prisma.sql`"createdAt" ASC, "id" ASC`],
      ["score", "desc", Prisma.sql`"leadScore" DESC, "id" DESC`],
    ] as const) {
      for (const page of [1, 301, 401]) {
        const expected = await db.$queryRaw<{ email: string }[]>`
          SELECT "email" FROM "Contact" WHERE "deletedAt" IS NULL ORDER BY ${order} LIMIT 25 OFFSET ${(page - 1) * 25}`;
        const listed = await queryContactList(db, params({ sort, dir, page: String(page) }));
        expect(listed.items.map((c) => c.email), `${sort} ${dir} page ${page}`).toEqual(expected.map((r) => r.email));
        expect(listed.hasNextPage).toBe(page < 401);
      }
    }
  });
});

describe("exportContactsCsv", () => {
  it("exports exactly the filtered contacts, with tags and one column per attribute", async () => {
    const c = await dataset();
    await tag([c.ada.id, c.frank.id], "vip");
    await tag([c.ada.id], "beta");
    await db.contact.update({ where: { id: c.ada.id }, data: { attributes: { company: "=cmd()", plan: "pro" } } });

    let text = "";
    for await (const chunk of exportContactsCsv(db, params({ tag: (await db.tag.findFirstOrThrow({ where: { name: "vip" } })).id }))) text += chunk;

    const [header, ...rows] = parseCsv(text).map((r) => r.values);
    expect(header).toEqual(["email", "first_name", "last_name", "status", "lead_score", "timezone", "tags", "created_at", "company", "plan"]);
    expect(rows.map((r) => r[0])).toEqual(["ada@lovelace.dev", "frank@lovelace.dev"]);
    expect(rows[0].slice(0, 7)).toEqual(["ada@lovelace.dev", "Ada", "Lovelace", "subscribed", "90", "UTC", "beta;vip"]);
    expect(rows[0].slice(8)).toEqual(["'=cmd()", "pro"]); // formula neutralized
    expect(rows[1].slice(8)).toEqual(["", ""]);
  });
});

describe("deleteContact", () => {
  it("soft-deletes, exits every live enrollment with contact_deleted and sends contact.removed", async () => {
    const [a, b] = [await makeSequence(db), await makeSequence(db)];
    const contact = await makeContact(db);
    for (const s of [a, b]) await enrollContact(db, { contactId: contact.id, sequenceId: s.id, source: "manual" });
    events.sent.length = 0;

    const result = await deleteContact(db, { contactId: contact.id, deletedBy: "admin@example.com" });

    expect(result).toEqual({ deleted: true, exited: 2 });
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).deletedAt).toBeInstanceOf(Date);
    const enrollments = await db.enrollment.findMany({ where: { contactId: contact.id } });
    expect(enrollments.map((e) => [e.status, e.exitReason])).toEqual([
      ["contact_deleted", "contact_deleted"],
      ["contact_deleted", "contact_deleted"],
    ]);
    const exits = await db.enrollmentEvent.findMany({ where: { contactId: contact.id, type: "exited" } });
    expect(exits.map((e) => [e.reason, (e.data as { detail?: string }).detail])).toEqual([
      ["contact_deleted", "Deleted by admin@example.com"],
      ["contact_deleted", "Deleted by admin@example.com"],
    ]);
    expect(events.sent).toEqual([{ name: "contact.removed", data: { contactId: contact.id, sequenceId: null } }]);
  });

  it("is idempotent, and hides the contact from the list and the contact page", async () => {
    const contact = await makeContact(db, { email: "del@example.com" });
    await deleteContact(db, { contactId: contact.id, deletedBy: "x" });
    const before = await db.contact.findUniqueOrThrow({ where: { id: contact.id } });
    events.sent.length = 0;

    expect(await deleteContact(db, { contactId: contact.id, deletedBy: "x" })).toEqual({ deleted: false, exited: 0 });
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).deletedAt).toEqual(before.deletedAt);
    expect(events.sent).toEqual([]);
    expect(await emailsOf({ q: "del@" })).toEqual([]);
    await expect(contactProfile(db, contact.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(updateContactProfile(db, { contactId: contact.id, timezone: "UTC", attributes: {} })).rejects.toMatchObject({ code: "not_found" });
  });

  it("a deleted contact cannot be enrolled, singly or in bulk", async () => {
    const sequence = await makeSequence(db);
    const contact = await makeContact(db);
    await deleteContact(db, { contactId: contact.id, deletedBy: "x" });

    expect(await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" })).toEqual({ outcome: "refused", reason: "contact_deleted" });
    expect(await enrollContacts(db, { contactIds: [contact.id], sequenceId: sequence.id })).toEqual({
      enrolled: 0,
      alreadyEnrolled: 0,
      refused: 1,
      refusals: { contact_deleted: 1 },
    });
    expect(await db.enrollment.count()).toBe(0);
  });

  it("refuses an unknown contact", async () => {
    await expect(deleteContact(db, { contactId: "00000000-0000-4000-8000-000000000000", deletedBy: "x" })).rejects.toBeInstanceOf(AppError);
  });
});

describe("enrollContacts (bulk enroll)", () => {
  it("counts enrolled, already enrolled and refused (with reasons)", async () => {
    const sequence = await makeSequence(db);
    const [fresh, already, unsubscribed] = [await makeContact(db), await makeContact(db), await makeContact(db, { status: "unsubscribed" })];
    await enrollContact(db, { contactId: already.id, sequenceId: sequence.id, source: "manual" });

    const result = await enrollContacts(db, { contactIds: [fresh.id, already.id, unsubscribed.id, fresh.id], sequenceId: sequence.id });

    expect(result).toEqual({ enrolled: 1, alreadyEnrolled: 1, refused: 1, refusals: { contact_unsubscribed: 1 } });
    expect(await db.enrollment.count({ where: { sequenceId: sequence.id, status: "active" } })).toBe(2);
  });
});

describe("updateContactProfile", () => {
  it("replaces name, time zone and attributes, and validates them", async () => {
    const contact = await makeContact(db, { attributes: { old: "x" } });
    await updateContactProfile(db, { contactId: contact.id, firstName: " Grace ", lastName: "", timezone: "Europe/Paris", attributes: { company: "Navy", seats: 3 } });
    expect(await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).toMatchObject({
      firstName: "Grace",
      lastName: null,
      timezone: "Europe/Paris",
      attributes: { company: "Navy", seats: 3 },
    });
    await expect(updateContactProfile(db, { contactId: contact.id, timezone: "Mars/Olympus", attributes: { "bad key": "v" } })).rejects.toMatchObject({
      code: "validation",
      fieldErrors: { timezone: [expect.any(String)], "attributes.bad key": [expect.any(String)] },
    });
  });
});

describe("contact timeline", () => {
  it("tells why each email was or was not sent, newest first", async () => {
    process.env.STEPWISE_SIGNING_SECRET ??= "test-signing-secret-0123456789";
    const delivered: string[] = [];
    setTransport({
      name: "test",
      deliver: async (message) => {
        delivered.push(message.subject);
        return { messageId: message.messageId };
      },
    });

    const sequence = await makeSequence(db, {
      name: "Trial onboarding",
      steps: [{ subject: "Welcome", delayAmount: 0 }, { subject: "Three things to try", delayAmount: 0 }, { subject: "Last tips", delayAmount: 0 }],
    });
    const upsell = await makeSequence(db, { name: "Upsell" });
    const trialTag = await db.tag.create({ data: { name: "trial" } });
    await db.sequenceTrigger.create({ data: { sequenceId: sequence.id, type: "tag_added", tagId: trialTag.id } });
    const contact = await makeContact(db);

    await addTags(db, { contactIds: [contact.id], tagNames: ["trial"], source: "admin" });
    const enrollment = await db.enrollment.findFirstOrThrow({ where: { contactId: contact.id } });
    expect(await sendStep(db, await plannedSend(db, enrollment.id))).toMatchObject({ outcome: "sent" });
    expect(await sendStep(db, await plannedSend(db, enrollment.id))).toMatchObject({ outcome: "sent" });
    // The contact unsubscribed in a way that did not end the enrollment (a race): the send notices.
    const last = await plannedSend(db, enrollment.id);
    await db.contact.update({ where: { id: contact.id }, data: { status: "unsubscribed" } });
    expect(await sendStep(db, last)).toMatchObject({ outcome: "stopped" });
    await enrollContact(db, { contactId: contact.id, sequenceId: upsell.id, source: "manual" });

    const timeline = await contactTimeline(db, contact.id);
    expect(delivered).toEqual(["Welcome", "Three things to try"]);
    expect(timeline.items.map((i) => i.sentence)).toEqual([
      "Not enrolled in Upsell: the contact had unsubscribed",
      "Exited: opted out",
      "Step 3 skipped: contact unsubscribed",
      "Step 2 'Three things to try' sent",
      "Step 1 'Welcome' sent",
      "Enrolled in Trial onboarding by trigger: tag added",
    ]);
    expect(timeline.items.at(-1)).toMatchObject({ detail: "Tag added: trial", sequenceName: "Trial onboarding", tone: "success" });
    expect(timeline.items[0]).toMatchObject({ sequenceName: "Upsell", tone: "warning" });
    expect(timeline.total).toBe(6);

    const second = await contactTimeline(db, contact.id, { page: 2, pageSize: 4 });
    expect(second.items.map((i) => i.sentence)).toEqual(["Step 1 'Welcome' sent", "Enrolled in Trial onboarding by trigger: tag added"]);
    expect(second.pageCount).toBe(2);
  });

  it("names manual enrollments and manual exits, and numbers steps among live steps", async () => {
    const sequence = await makeSequence(db, { name: "Nurture", steps: [{ subject: "Old", delayAmount: 0 }, { subject: "Kept" }] });
    const contact = await makeContact(db);
    await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
    const enrollment = await db.enrollment.findFirstOrThrow({ where: { contactId: contact.id } });
    // Planned, then deleted directly in the database (no version migrated it): the claim notices.
    const planned = await plannedSend(db, enrollment.id);
    await db.sequenceStep.update({ where: { id: sequence.steps[0].id }, data: { deletedAt: new Date() } });
    expect(await sendStep(db, planned)).toMatchObject({ outcome: "skipped", reason: "step_deleted" });
    await exitContact(db, { contactId: contact.id, sequenceId: sequence.id, reason: "removed", detail: "Removed by ops@example.com" });

    const { items } = await contactTimeline(db, contact.id);
    expect(items.map((i) => [i.sentence, i.detail])).toEqual([
      ["Exited: removed manually", "Removed by ops@example.com"],
      ["Step 'Old' (since deleted) skipped: the step was deleted", "Subject: Old"],
      ["Enrolled in Nurture manually", null],
    ]);
  });
});
