import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { csvFile } from "../support/csv-file";
import { deleteContact } from "../../lib/contacts/delete-contact";
import { importContacts, type ImportProgress } from "../../lib/contacts/import";
import { findStoredEmails } from "../../lib/contacts/import-preview";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { makeSequence } from "../support/factories";

const db = testDb();
const events = recordEvents();

beforeEach(async () => {
  await resetDb();
  events.sent.length = 0;
});
afterAll(() => events.restore());

const contactByEmail = (email: string) =>
  db.contact.findFirstOrThrow({ where: { email }, include: { tags: { include: { tag: true } } } });

describe("importContacts", () => {
  it("imports the good rows and reports each bad one with its line, reason and value", async () => {
    const lines = ["email,first_name,lead_score,timezone,company"];
    const bad = new Map<number, RegExp>([
      [5, /^Email "not-an-email": \S/], // not an email
      [14, /^Email: missing$/],
      [23, /^Lead score: "high" is not a whole number$/],
      [32, /^Time zone "Mars\/Olympus": \S/],
      [41, /^Lead score "99999999": \S/], // out of range
    ]);
    for (let line = 2; line <= 51; line++) {
      if (line === 5) lines.push("not-an-email,Bad,1,UTC,Acme");
      else if (line === 14) lines.push(",NoEmail,1,UTC,Acme");
      else if (line === 23) lines.push(`row${line}@example.com,Bad,high,UTC,Acme`);
      else if (line === 32) lines.push(`row${line}@example.com,Bad,1,Mars/Olympus,Acme`);
      else if (line === 41) lines.push(`row${line}@example.com,Bad,99999999,UTC,Acme`);
      else lines.push(`row${line}@example.com,Name ${line},${line},Europe/Paris,"Acme, Inc."`);
    }
    const progress: ImportProgress[] = [];

    const result = await importContacts(db, { ...csvFile(lines.join("\r\n")), fireTriggers: false }, (p) => progress.push(p));

    expect(result.imported).toBe(45);
    expect(result.updated).toBe(0);
    expect(result.failed.map((f) => f.line)).toEqual([...bad.keys()]);
    for (const failure of result.failed) expect(failure.reason).toMatch(bad.get(failure.line)!);
    expect(await db.contact.count()).toBe(45);
    expect(await contactByEmail("row2@example.com")).toMatchObject({
      firstName: "Name 2",
      leadScore: 2,
      timezone: "Europe/Paris",
      attributes: { company: "Acme, Inc." },
    });
    expect(await db.contact.count({ where: { email: { startsWith: "row23@" } } })).toBe(0);
    expect(progress.at(-1)).toEqual({ done: 50, total: 50 });
    // New contacts' consent is recorded as coming from the import.
    expect(await db.consentEvent.count({ where: { type: "subscribed", source: "import" } })).toBe(45);
  });

  it("reports lines as they are in the file, even after quoted newlines and blank lines", async () => {
    const text = 'email,note\r\ngood@example.com,"two\r\nlines"\r\n\r\nbad@,x\r\n';
    const result = await importContacts(db, { ...csvFile(text), fireTriggers: false });
    expect(result.failed).toEqual([{ line: 5, reason: expect.stringMatching(/^Email "bad@": /) }]);
    expect(result.imported).toBe(1);
  });

  it("fires entry triggers only when asked to", async () => {
    const sequence = await makeSequence(db, { name: "Trial" });
    const tag = await db.tag.create({ data: { name: "trial" } });
    await db.sequenceTrigger.create({ data: { sequenceId: sequence.id, type: "tag_added", tagId: tag.id } });
    const scored = await makeSequence(db, { name: "Hot leads" });
    await db.sequenceTrigger.create({ data: { sequenceId: scored.id, type: "score_threshold", scoreThreshold: 50 } });

    const quiet = await importContacts(db, { ...csvFile("email,tags,score\nquiet@example.com,trial;other,80\n"), fireTriggers: false });
    expect(quiet.imported).toBe(1);
    const quietContact = await contactByEmail("quiet@example.com");
    expect(quietContact.tags.map((t) => t.tag.name).sort()).toEqual(["other", "trial"]);
    expect(quietContact.leadScore).toBe(80);
    expect(await db.enrollment.count()).toBe(0);

    const loud = await importContacts(db, { ...csvFile("email,tags,score\nloud@example.com,trial,80\n"), fireTriggers: true });
    expect(loud.imported).toBe(1);
    const loudContact = await contactByEmail("loud@example.com");
    const enrollments = await db.enrollment.findMany({ where: { contactId: loudContact.id }, orderBy: { source: "asc" } });
    expect(enrollments.map((e) => [e.sequenceId, e.source])).toEqual([
      [scored.id, "trigger:score_threshold"],
      [sequence.id, "trigger:tag_added"],
    ]);
    expect(await db.enrollment.count({ where: { contactId: quietContact.id } })).toBe(0);
  });

  it("re-importing updates the contacts instead of duplicating them, and blank cells keep stored values", async () => {
    const first = await importContacts(db, { ...csvFile("email,first_name,last_name,plan\nada@example.com,Ada,Lovelace,free\nbob@example.com,Bob,,free\n"), fireTriggers: false });
    expect(first).toEqual({ imported: 2, updated: 0, failed: [] });

    const second = await importContacts(db, { ...csvFile("email,first_name,last_name,plan\nada@example.com,Augusta,,pro\ncarol@example.com,Carol,,free\n"), fireTriggers: false });

    expect(second).toEqual({ imported: 1, updated: 1, failed: [] });
    expect(await db.contact.count()).toBe(3);
    expect(await contactByEmail("ada@example.com")).toMatchObject({ firstName: "Augusta", lastName: "Lovelace", attributes: { plan: "pro" } });
  });

  it("matches emails case-insensitively, across imports and within one file (a later line is a duplicate of the first)", async () => {
    await importContacts(db, { ...csvFile("email,first_name\nAda@Example.com,Ada\n"), fireTriggers: false });

    const result = await importContacts(db, { ...csvFile("email,first_name\nADA@example.COM,Augusta\n  ada@EXAMPLE.com ,Countess\nnew@Example.com,New\nNEW@example.com,Newer\n"), fireTriggers: false });

    expect(result).toEqual({
      imported: 1,
      updated: 1,
      failed: [
        { line: 3, reason: 'Email "ada@example.com": duplicate of line 2 (the first one is imported)' },
        { line: 5, reason: 'Email "new@example.com": duplicate of line 4 (the first one is imported)' },
      ],
    });
    const contacts = await db.contact.findMany({ orderBy: { email: "asc" }, select: { email: true, firstName: true } });
    expect(contacts).toEqual([
      { email: "ada@example.com", firstName: "Augusta" },
      { email: "new@example.com", firstName: "New" },
    ]);
  });

  it("with onlyFillEmpty, existing contacts keep their values and only empty fields are filled", async () => {
    await importContacts(db, { ...csvFile("email,first_name,last_name,lead_score,timezone,plan\nada@example.com,Ada,,5,Europe/London,free\n"), fireTriggers: false });

    const result = await importContacts(db, {
      ...csvFile("email,first_name,last_name,lead_score,timezone,plan,company,tags\nada@example.com,Augusta,Lovelace,50,Asia/Tokyo,pro,Engines,vip\nnew@example.com,New,Person,7,Asia/Tokyo,pro,,\n"),
      fireTriggers: false,
      onlyFillEmpty: true,
    });

    expect(result).toEqual({ imported: 1, updated: 1, failed: [] });
    const ada = await contactByEmail("ada@example.com");
    expect(ada).toMatchObject({ firstName: "Ada", lastName: "Lovelace", leadScore: 5, timezone: "Europe/London", attributes: { plan: "free", company: "Engines" } });
    expect(ada.tags.map((t) => t.tag.name)).toEqual(["vip"]);
    // A new contact gets every value of its row.
    expect(await contactByEmail("new@example.com")).toMatchObject({ firstName: "New", lastName: "Person", leadScore: 7, timezone: "Asia/Tokyo", attributes: { plan: "pro" } });
  });

  it("applies extra tags to every row and reports a deleted contact's row instead of reviving it", async () => {
    const { mapping, rows } = csvFile("email\nkept@example.com\ngone@example.com\n");
    await importContacts(db, { mapping, rows: rows.slice(1), fireTriggers: false });
    const gone = await contactByEmail("gone@example.com");
    await deleteContact(db, { contactId: gone.id, deletedBy: "test" });

    const result = await importContacts(db, { mapping, rows, fireTriggers: false, tagNames: ["webinar"] });

    expect(result.imported).toBe(1);
    expect(result.failed).toEqual([{ line: 3, reason: expect.stringContaining("deleted") }]);
    expect((await contactByEmail("kept@example.com")).tags.map((t) => t.tag.name)).toEqual(["webinar"]);
    expect((await contactByEmail("gone@example.com")).deletedAt).toBeInstanceOf(Date);
  });

  it("refuses a mapping without an email column and imports nothing", async () => {
    await expect(
      importContacts(db, { mapping: [{ target: "firstName" }], rows: [{ line: 2, values: ["Ada"] }], fireTriggers: false }),
    ).rejects.toMatchObject({ code: "validation" });
    expect(await db.contact.count()).toBe(0);
  });
});

describe("findStoredEmails (the summary before an import)", () => {
  it("tells stored contacts (in any case and spacing) and deleted ones from new emails", async () => {
    await importContacts(db, { ...csvFile("email\nada@example.com\ngone@example.com\n"), fireTriggers: false });
    const gone = await contactByEmail("gone@example.com");
    await deleteContact(db, { contactId: gone.id, deletedBy: "test" });

    const stored = await findStoredEmails(db, { emails: [" ADA@example.com", "gone@EXAMPLE.com", "new@example.com", ""] });
    expect(stored).toEqual({ existing: ["ada@example.com"], deleted: ["gone@example.com"] });
  });
});
