/**
 * A file imported in many small batches (two batches saved at once, each
 * with its tags and tag triggers, while the previous one's score triggers
 * run) gives the same per-row
 * results, stored rows, enrollments and logged refusals as the same file in
 * one batch, which its NUL row sends row by row through upsertContact: the
 * row-by-row importer's answer.
 */
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { csvFile } from "../support/csv-file";
import { deleteContact } from "../../lib/contacts/delete-contact";
import { importContacts, type ImportProgress } from "../../lib/contacts/import";
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

async function seed() {
  const trial = await makeSequence(db, { name: "Trial" });
  const trialTag = await db.tag.create({ data: { name: "trial" } });
  await db.sequenceTrigger.create({ data: { sequenceId: trial.id, type: "tag_added", tagId: trialTag.id } });
  const hot = await makeSequence(db, { name: "Hot" });
  await db.sequenceTrigger.create({ data: { sequenceId: hot.id, type: "score_threshold", scoreThreshold: 50 } });
  await makeContact(db, { email: "existing@example.com", firstName: "Old", leadScore: 10, attributes: { company: "Old Co" } });
  await makeContact(db, { email: "optout@example.com", status: "unsubscribed", unsubscribedAt: new Date("2026-01-01T00:00:00Z") });
  const gone = await makeContact(db, { email: "gone@example.com" });
  await deleteContact(db, { contactId: gone.id, deletedBy: "test" });
}

const CSV = [
  "email,first_name,score,tz,company,tags",
  "a1@example.com,A1,60,Europe/Paris,Acme,trial;vip", // 2
  "not-an-email,Bad,1,,,", // 3
  "a2@example.com,A2,10,,,trial", // 4
  "existing@example.com,Changed,70,Asia/Tokyo,New Co,trial", // 5
  "a3@example.com,A3,,,,", // 6
  "optout@example.com,Still,90,,,trial", // 7
  "gone@example.com,Back,1,,,", // 8
  "a4@example.com,A4,55,,,VIP", // 9
  "A1@example.com,Dup,1,,,", // 10: duplicate of line 2, another batch
  "nul@example.com,Bad\u0000Name,1,,,trial", // 11: PostgreSQL cannot store it: its batch is saved row by row
  "a5@example.com,A5,1,,,trial", // 12
  "a6@example.com,A6,99,Mars/Olympus,,", // 13
  "a7@example.com,A7,80,,,trial", // 14
  "existing@example.com,Again,1,,,", // 15: duplicate of line 5
  "a8@example.com,A8,2,,,trial;newsletter", // 16
].join("\r\n");

async function importAndRead(batchSize: number) {
  await seed();
  const progress: ImportProgress[] = [];
  const original = console.error;
  console.error = () => {}; // the row-by-row fallback logs why
  let result;
  try {
    result = await importContacts(db, { ...csvFile(CSV), fireTriggers: true }, (p) => progress.push(p), { batchSize });
  } finally {
    console.error = original;
  }
  const contacts = await db.contact.findMany({
    orderBy: { email: "asc" },
    include: { tags: { include: { tag: true } }, consents: true, enrollments: { include: { sequence: true } } },
  });
  const stored = contacts.map((c) => ({
    email: c.email,
    firstName: c.firstName,
    leadScore: c.leadScore,
    timezone: c.timezone,
    status: c.status,
    deleted: c.deletedAt !== null,
    attributes: c.attributes,
    tags: c.tags.map((t) => t.tag.name).sort(),
    consents: c.consents.map((e) => `${e.type}:${e.source}`).sort(),
    enrollments: c.enrollments.map((e) => `${e.sequence.name}:${e.source}:${e.status}`).sort(),
  }));
  const logged = (await db.enrollmentEvent.findMany({ include: { contact: true, sequence: true } }))
    .map((e) => `${e.contact.email}:${e.sequence.name}:${e.type}:${e.reason}`)
    .sort();
  const tags = (await db.tag.findMany({ orderBy: { name: "asc" } })).map((t) => t.name);
  return { result, stored, logged, tags, progress };
}

describe("importContacts in batches", () => {
  it("stores and reports the same as one batch, and reports progress batch by batch", async () => {
    const whole = await importAndRead(1000);
    await resetDb();
    const batched = await importAndRead(2);

    expect(batched.result).toEqual(whole.result);
    expect(batched.stored).toEqual(whole.stored);
    expect(batched.logged).toEqual(whole.logged);
    expect(batched.tags).toEqual(whole.tags);
    expect(whole.progress).toEqual([{ done: 15, total: 15 }]);
    expect(batched.progress.map((p) => p.done)).toEqual([2, 4, 6, 8, 10, 12, 14, 15]);

    // What the file asks for, so the comparison is not between two wrong answers.
    expect(whole.result!.imported).toBe(7);
    expect(whole.result!.updated).toBe(2);
    expect(whole.result!.failed.map((f) => f.line)).toEqual([3, 8, 10, 11, 13, 15]);
    expect(whole.logged).toEqual([
      "a1@example.com:Hot:enrolled:trigger:score_threshold",
      "a1@example.com:Trial:enrolled:trigger:tag_added",
      "a2@example.com:Trial:enrolled:trigger:tag_added",
      "a4@example.com:Hot:enrolled:trigger:score_threshold",
      "a5@example.com:Trial:enrolled:trigger:tag_added",
      "a7@example.com:Hot:enrolled:trigger:score_threshold",
      "a7@example.com:Trial:enrolled:trigger:tag_added",
      "a8@example.com:Trial:enrolled:trigger:tag_added",
      "existing@example.com:Hot:enrolled:trigger:score_threshold",
      "existing@example.com:Trial:enrolled:trigger:tag_added",
      "optout@example.com:Hot:enrollment_refused:contact_unsubscribed",
      "optout@example.com:Trial:enrollment_refused:contact_unsubscribed",
    ]);
    expect(whole.stored.find((c) => c.email === "a8@example.com")?.tags).toEqual(["newsletter", "trial"]);
  });
});

describe("importContacts when a batch's tags cannot be written", () => {
  it("fails with that error, after the batches before it, and leaves nothing running", async () => {
    // A fault on one contact's tag link, injected in the database for this test only.
    await db.$executeRawUnsafe(`
      CREATE FUNCTION test_import_tag_fault() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM "Contact" c WHERE c."id" = NEW."contactId" AND c."email" = 'boom@example.com') THEN
          RAISE EXCEPTION 'injected tag fault';
        END IF;
        RETURN NEW;
      END $$`);
    await db.$executeRawUnsafe(`CREATE TRIGGER test_import_tag_fault BEFORE INSERT ON "ContactTag" FOR EACH ROW EXECUTE FUNCTION test_import_tag_fault()`);
    try {
      const csv = ["email,tags", "b1@example.com,vip", "b2@example.com,vip", "boom@example.com,vip", "b4@example.com,vip", "b5@example.com,vip", "b6@example.com,vip", "b7@example.com,vip"].join("\n");
      const progress: ImportProgress[] = [];

      await expect(importContacts(db, { ...csvFile(csv), fireTriggers: false }, (p) => progress.push(p), { batchSize: 2 })).rejects.toThrow(/injected tag fault/);

      // The first batch was done. The failing one rolled back whole: its contacts are saved with their tags,
      // in one transaction. The batch after it, saved beside it (two at once), is kept whole; no later one was started.
      expect(progress).toEqual([{ done: 2, total: 7 }]);
      const tagged = async () => (await db.contactTag.findMany({ include: { contact: true } })).map((t) => t.contact.email).sort();
      expect(await tagged()).toEqual(["b1@example.com", "b2@example.com", "b5@example.com", "b6@example.com"]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await tagged()).toEqual(["b1@example.com", "b2@example.com", "b5@example.com", "b6@example.com"]);
      const emails = (await db.contact.findMany({ orderBy: { email: "asc" } })).map((c) => c.email);
      expect(emails).toEqual(["b1@example.com", "b2@example.com", "b5@example.com", "b6@example.com"]);
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER test_import_tag_fault ON "ContactTag"`);
      await db.$executeRawUnsafe(`DROP FUNCTION test_import_tag_fault()`);
    }
  });
});
