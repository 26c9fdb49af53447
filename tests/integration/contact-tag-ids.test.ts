/**
 * Contact.tagIds, the contacts list's tag filter: kept by triggers on
 * ContactTag whoever writes the links (tagging, untagging, any delete, an
 * import), including two taggings of one contact at once.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { importContacts } from "../../lib/contacts/import";
import { queryContactList } from "../../lib/contacts/list-contacts";
import { addTags, removeTags } from "../../lib/contacts/tags";
import { ZContactListParams } from "../../lib/validations/contact-list";
import { resetDb, testDb } from "../support/db";
import { csvFile } from "../support/csv-file";
import { recordEvents } from "../support/events";
import { makeContact } from "../support/factories";

const db = testDb();
recordEvents();
beforeEach(() => resetDb());

const tagIdsOf = async (contactId: string) => (await db.contact.findUniqueOrThrow({ where: { id: contactId } })).tagIds;
const idsOf = async (...names: string[]) => (await db.tag.findMany({ where: { name: { in: names } }, orderBy: { id: "asc" } })).map((t) => t.id);
/** What the links say: the column must always equal this. */
const linkedTagIds = async (contactId: string) => (await db.contactTag.findMany({ where: { contactId }, orderBy: { tagId: "asc" } })).map((l) => l.tagId);

describe("Contact.tagIds", () => {
  it("follows tagging and untagging, by the app's functions or any statement, for many contacts at once", async () => {
    const [ada, grace] = [await makeContact(db), await makeContact(db)];
    expect(await tagIdsOf(ada.id)).toEqual([]);

    await addTags(db, { contactIds: [ada.id, grace.id], tagNames: ["vip", "trial"], source: "admin", fireTriggers: false });
    await addTags(db, { contactIds: [ada.id], tagNames: ["beta", "vip"], source: "admin", fireTriggers: false });
    expect(await tagIdsOf(ada.id)).toEqual(await idsOf("vip", "trial", "beta"));
    expect(await tagIdsOf(grace.id)).toEqual(await idsOf("vip", "trial"));

    await removeTags(db, { contactIds: [ada.id, grace.id], tagNames: ["trial"] });
    expect(await tagIdsOf(ada.id)).toEqual(await idsOf("vip", "beta"));
    expect(await tagIdsOf(grace.id)).toEqual(await idsOf("vip"));

    // Links removed by any statement, not only removeTags.
    await db.contactTag.deleteMany({ where: { tagId: (await idsOf("vip"))[0] } });
    expect(await tagIdsOf(ada.id)).toEqual(await idsOf("beta"));
    expect(await tagIdsOf(grace.id)).toEqual([]);
    for (const contact of [ada, grace]) expect(await tagIdsOf(contact.id)).toEqual(await linkedTagIds(contact.id));
  });

  it("follows an import's tags, new contacts and existing ones", async () => {
    const existing = await makeContact(db, { email: "old@example.com" });
    await addTags(db, { contactIds: [existing.id], tagNames: ["customer"], source: "admin", fireTriggers: false });
    await importContacts(db, { ...csvFile("email,tags\nold@example.com,vip\nnew@example.com,vip;trial\n"), fireTriggers: false, tagNames: ["imported"] });
    const created = await db.contact.findUniqueOrThrow({ where: { email: "new@example.com" } });
    expect(await tagIdsOf(existing.id)).toEqual(await idsOf("customer", "vip", "imported"));
    expect(await tagIdsOf(created.id)).toEqual(await idsOf("vip", "trial", "imported"));
  });

  it("keeps both of two taggings of one contact committed at the same time", async () => {
    const contact = await makeContact(db);
    const [one, two] = await Promise.all(["one", "two"].map((name) => db.tag.create({ data: { name } })));
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstInserted!: () => void;
    const firstHasInserted = new Promise<void>((resolve) => (firstInserted = resolve));

    // The first holds its row lock on the contact until the second is waiting for it.
    const first = db.$transaction(async (tx) => {
      await tx.contactTag.create({ data: { contactId: contact.id, tagId: one.id } });
      firstInserted();
      await firstMayCommit;
    });
    await firstHasInserted;
    const second = db.$transaction((tx) => tx.contactTag.create({ data: { contactId: contact.id, tagId: two.id } }));
    // Let the second reach the lock, then commit the first: the second's trigger re-reads the row the first wrote.
    await new Promise((resolve) => setTimeout(resolve, 300));
    releaseFirst();
    await Promise.all([first, second]);

    expect(await tagIdsOf(contact.id)).toEqual([one.id, two.id].sort());
  });

  it("is what the list's tag filter reads, with and without a search", async () => {
    const ada = await makeContact(db, { email: "ada@example.com", firstName: "Ada" });
    const adam = await makeContact(db, { email: "adam@example.com", firstName: "Adam" });
    await makeContact(db, { email: "grace@example.com", firstName: "Grace" });
    await addTags(db, { contactIds: [ada.id], tagNames: ["vip"], source: "admin", fireTriggers: false });
    const [vip] = await idsOf("vip");
    const emails = async (params: Record<string, unknown>) => (await queryContactList(db, ZContactListParams.parse(params))).items.map((c) => c.email);
    expect(await emails({ tag: vip })).toEqual(["ada@example.com"]);
    expect(await emails({ tag: vip, q: "ada" })).toEqual(["ada@example.com"]);
    await addTags(db, { contactIds: [adam.id], tagNames: ["vip"], source: "admin", fireTriggers: false });
    expect((await emails({ tag: vip, q: "ada" })).sort()).toEqual(["ada@example.com", "adam@example.com"]);
    await removeTags(db, { contactIds: [ada.id], tagNames: ["vip"] });
    expect(await emails({ tag: vip, q: "ada" })).toEqual(["adam@example.com"]);
  });
});
