import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { tagContacts } from "../../lib/contacts/tag-contacts";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";

const db = testDb();
const events = recordEvents();

beforeEach(async () => {
  await resetDb();
  events.sent.length = 0;
});
afterAll(() => events.restore());

async function triggeredBy(tagName: string, sequenceName: string, status: "active" | "paused" = "active") {
  const tag = await db.tag.upsert({ where: { name: tagName }, create: { name: tagName }, update: {} });
  const sequence = await makeSequence(db, { name: sequenceName, status });
  await db.sequenceTrigger.create({ data: { sequenceId: sequence.id, type: "tag_added", tagId: tag.id } });
  return { tag, sequence };
}

describe("adding a tag from the admin UI", () => {
  it("asks first when the tag has live triggers, and changes nothing until confirmed", async () => {
    await triggeredBy("trial", "Trial onboarding");
    await triggeredBy("trial", "Paused one", "paused");
    const contacts = await Promise.all([makeContact(db), makeContact(db)]);
    const contactIds = contacts.map((c) => c.id);

    const asked = await tagContacts(db, { contactIds, tagName: "Trial" });
    expect(asked).toMatchObject({ status: "needs_confirmation", tagName: "Trial" });
    expect(asked.status === "needs_confirmation" && asked.sequences.map((s) => s.name)).toEqual(["Trial onboarding"]);
    expect(await db.contactTag.count()).toBe(0);
    expect(await db.enrollment.count()).toBe(0);

    const applied = await tagContacts(db, { contactIds, tagName: "Trial", confirmTriggers: true });
    expect(applied).toEqual({
      status: "applied",
      tagName: "trial",
      added: 2,
      alreadyTagged: 0,
      enrollments: [{ sequenceId: expect.any(String), sequenceName: "Trial onboarding", enrolled: 2, alreadyEnrolled: 0, refused: 0 }],
    });
    expect(await db.enrollment.count({ where: { status: "active" } })).toBe(2);
  });

  it("says how many were enrolled in which sequence, and who was not", async () => {
    const { sequence } = await triggeredBy("webinar", "Webinar follow-up");
    await triggeredBy("webinar", "Another sequence");
    const already = await makeContact(db);
    await db.enrollment.create({ data: { contactId: already.id, sequenceId: sequence.id, source: "manual" } });
    const unsubscribed = await makeContact(db, { status: "unsubscribed" });
    const fresh = await makeContact(db);

    const result = await tagContacts(db, { contactIds: [already.id, unsubscribed.id, fresh.id], tagName: "webinar", confirmTriggers: true });
    expect(result.status === "applied" && result.enrollments.map(({ sequenceName, enrolled, alreadyEnrolled, refused }) => ({ sequenceName, enrolled, alreadyEnrolled, refused }))).toEqual([
      { sequenceName: "Another sequence", enrolled: 2, alreadyEnrolled: 0, refused: 1 },
      { sequenceName: "Webinar follow-up", enrolled: 1, alreadyEnrolled: 1, refused: 1 },
    ]);
  });

  it("a tag without live triggers is applied at once; one the contact has in another case is reported as already there", async () => {
    const contact = await makeContact(db);
    const first = await tagContacts(db, { contactIds: [contact.id], tagName: "VIP" });
    expect(first).toMatchObject({ status: "applied", tagName: "VIP", added: 1, alreadyTagged: 0, enrollments: [] });

    const again = await tagContacts(db, { contactIds: [contact.id], tagName: "vip" });
    expect(again).toMatchObject({ status: "applied", tagName: "VIP", added: 0, alreadyTagged: 1 });
    expect(await db.contactTag.count()).toBe(1);
  });

  it("does not ask when every selected contact already has the tag (nobody would be enrolled)", async () => {
    const { tag } = await triggeredBy("trial", "Trial onboarding");
    const contact = await makeContact(db, { tags: { create: { tagId: tag.id } } });
    const result = await tagContacts(db, { contactIds: [contact.id], tagName: "TRIAL" });
    expect(result).toMatchObject({ status: "applied", added: 0, alreadyTagged: 1, enrollments: [] });
  });
});
