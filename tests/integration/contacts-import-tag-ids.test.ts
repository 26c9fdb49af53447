/**
 * The CSV import writes each contact's tag ids (Contact.tagIds) with the
 * contact, in the transaction that inserts its tag links: the ContactTag
 * triggers then find the array already right and write no second version
 * of the row. The column must still equal the contact's links, for new
 * contacts, updated ones that had other tags, ones updated for their tags
 * alone, and with triggers firing.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importContacts } from "../../lib/contacts/import";
import { addTags } from "../../lib/contacts/tags";
import { csvFile } from "../support/csv-file";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";

const db = testDb();
recordEvents();

/** Every UPDATE of a Contact row, by id, recorded by a row trigger for this file's tests only. */
beforeEach(async () => {
  await resetDb();
  await db.$executeRawUnsafe(`CREATE TABLE test_contact_updates ("contactId" text NOT NULL)`);
  await db.$executeRawUnsafe(`
    CREATE FUNCTION test_log_contact_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO test_contact_updates VALUES (NEW."id"); RETURN NULL; END $$`);
  await db.$executeRawUnsafe(`CREATE TRIGGER test_log_contact_update AFTER UPDATE ON "Contact" FOR EACH ROW EXECUTE FUNCTION test_log_contact_update()`);
});
afterEach(async () => {
  await db.$executeRawUnsafe(`DROP TRIGGER test_log_contact_update ON "Contact"`);
  await db.$executeRawUnsafe(`DROP FUNCTION test_log_contact_update()`);
  await db.$executeRawUnsafe(`DROP TABLE test_contact_updates`);
});

const updatesOf = async (email: string) => {
  const [{ n }] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM test_contact_updates u JOIN "Contact" c ON c."id" = u."contactId" WHERE c."email" = ${email}`;
  return n;
};
const clearUpdates = () => db.$executeRawUnsafe(`DELETE FROM test_contact_updates`);

/** Every contact's tagIds against its links: the column must always equal them. */
async function expectTagIdsMatchLinks() {
  const rows = await db.$queryRaw<{ email: string; tagIds: string[]; linked: string[] }[]>`
    SELECT c."email", c."tagIds",
           ARRAY(SELECT ct."tagId" FROM "ContactTag" ct WHERE ct."contactId" = c."id" ORDER BY ct."tagId") AS "linked"
    FROM "Contact" c ORDER BY c."email"`;
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) expect(row.tagIds, row.email).toEqual(row.linked);
  return new Map(rows.map((r) => [r.email, r.tagIds]));
}

const tagIds = async (...names: string[]) => (await db.tag.findMany({ where: { name: { in: names } }, orderBy: { id: "asc" } })).map((t) => t.id);

describe("the import's tag ids", () => {
  it("are written with the rows: new contacts are never rewritten, an updated one once, and the column equals the links", async () => {
    const old = await makeContact(db, { email: "old@example.com", firstName: "Old" });
    const same = await makeContact(db, { email: "same@example.com", firstName: "Same" });
    const plain = await makeContact(db, { email: "plain@example.com", firstName: "Plain" });
    await addTags(db, { contactIds: [old.id, same.id], tagNames: ["customer", "vip"], source: "admin", fireTriggers: false });
    await clearUpdates();

    const csv = [
      "email,first_name,tags",
      "old@example.com,Renamed,vip;Trial", // other tags kept, vip already there, trial new
      "same@example.com,,VIP", // only a tag it has: nothing changes
      "plain@example.com,,trial", // its tags alone change: the links' trigger writes them
      "new@example.com,New,trial;TRIAL;beta", // one tag twice in other cases
      "bare@example.com,Bare,", // no tags but the extra one
    ].join("\n");
    const result = await importContacts(db, { ...csvFile(csv), fireTriggers: false, tagNames: ["imported"] });
    expect(result).toMatchObject({ imported: 2, updated: 3, failed: [] });

    const byEmail = await expectTagIdsMatchLinks();
    expect(byEmail.get("old@example.com")).toEqual(await tagIds("customer", "vip", "Trial", "imported"));
    expect(byEmail.get("same@example.com")).toEqual(await tagIds("customer", "vip", "imported"));
    expect(byEmail.get("plain@example.com")).toEqual(await tagIds("Trial", "imported"));
    expect(byEmail.get("new@example.com")).toEqual(await tagIds("Trial", "beta", "imported"));
    expect(byEmail.get("bare@example.com")).toEqual(await tagIds("imported"));

    // New contacts: inserted with their tag ids, never updated. Updated ones: one new row version each.
    expect(await updatesOf("new@example.com")).toBe(0);
    expect(await updatesOf("bare@example.com")).toBe(0);
    expect(await updatesOf("old@example.com")).toBe(1);
    expect(await updatesOf("plain@example.com")).toBe(1);
    expect(await updatesOf("same@example.com")).toBe(1); // its new "imported" tag, from the trigger
  });

  it("stay equal to the links when tag triggers enroll the contacts, in several batches", async () => {
    const sequence = await makeSequence(db, { name: "Trial" });
    const trial = await db.tag.create({ data: { name: "trial" } });
    await db.sequenceTrigger.create({ data: { sequenceId: sequence.id, type: "tag_added", tagId: trial.id } });
    const existing = await makeContact(db, { email: "existing@example.com" });
    await addTags(db, { contactIds: [existing.id], tagNames: ["customer"], source: "admin", fireTriggers: false });
    await clearUpdates();

    const lines = ["email,first_name,tags", "existing@example.com,Ex,trial;customer"];
    for (let i = 0; i < 9; i++) lines.push(`n${i}@example.com,N${i},${i % 2 ? "trial" : "other"}`);
    const result = await importContacts(db, { ...csvFile(lines.join("\n")), fireTriggers: true }, undefined, { batchSize: 3 });
    expect(result).toMatchObject({ imported: 9, updated: 1, failed: [] });

    await expectTagIdsMatchLinks();
    const enrolled = (await db.enrollment.findMany({ include: { contact: true } })).map((e) => e.contact.email).sort();
    expect(enrolled).toEqual(["existing@example.com", "n1@example.com", "n3@example.com", "n5@example.com", "n7@example.com"]);
    for (let i = 0; i < 9; i++) expect(await updatesOf(`n${i}@example.com`)).toBe(0);
    expect(await updatesOf("existing@example.com")).toBe(1);
  });
});
