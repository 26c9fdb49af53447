/**
 * One mixed file through importContacts, with every kind of row the
 * importer meets, and the exact per-row results and stored rows. Written
 * against the row-by-row importer before it became set-based, so it pins
 * the behaviour the set-based one must keep.
 */
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { csvFile } from "../support/csv-file";
import { deleteContact } from "../../lib/contacts/delete-contact";
import { importContacts } from "../../lib/contacts/import";
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

const hundredKeys = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, "v"]));
const longTag = "t".repeat(51);

/** Stored state an import can change, by email, in a stable order. */
async function storedState() {
  const contacts = await db.contact.findMany({
    orderBy: { email: "asc" },
    include: { tags: { include: { tag: true } }, consents: true, enrollments: { include: { sequence: true } } },
  });
  return contacts.map((c) => ({
    email: c.email,
    firstName: c.firstName,
    lastName: c.lastName,
    leadScore: c.leadScore,
    timezone: c.timezone,
    status: c.status,
    deleted: c.deletedAt !== null,
    attributeKeys: Object.keys(c.attributes as object).length,
    attributes: Object.keys(c.attributes as object).length > 10 ? "(many)" : c.attributes,
    tags: c.tags.map((t) => t.tag.name).sort(),
    consents: c.consents.map((e) => `${e.type}:${e.source}`).sort(),
    enrollments: c.enrollments.map((e) => `${e.sequence.name}:${e.source}:${e.status}`).sort(),
  }));
}

describe("importContacts on a mixed file", () => {
  it("reports every row and stores exactly what the row-by-row importer stored", async () => {
    const trial = await makeSequence(db, { name: "Trial" });
    const trialTag = await db.tag.create({ data: { name: "trial" } });
    await db.sequenceTrigger.create({ data: { sequenceId: trial.id, type: "tag_added", tagId: trialTag.id } });
    const hot = await makeSequence(db, { name: "Hot" });
    await db.sequenceTrigger.create({ data: { sequenceId: hot.id, type: "score_threshold", scoreThreshold: 50 } });
    await db.tag.create({ data: { name: "VIP" } });

    await makeContact(db, { email: "existing@example.com", firstName: "Old", lastName: "Name", leadScore: 10, timezone: "Europe/London", attributes: { company: "Old Co", Plan: "free" } });
    await makeContact(db, { email: "sparse@example.com", firstName: null, lastName: null, attributes: { company: "" } });
    await makeContact(db, { email: "optout@example.com", firstName: "Opted", status: "unsubscribed", unsubscribedAt: new Date("2026-01-01T00:00:00Z") });
    await makeContact(db, { email: "full@example.com", attributes: hundredKeys });
    const gone = await makeContact(db, { email: "gone@example.com" });
    await deleteContact(db, { contactId: gone.id, deletedBy: "test" });

    const csv = [
      "E-Mail,First_Name,Last Name,Score,TZ,COMPANY,plan,Tags",
      "new1@example.com,New,One,10,Europe/Paris,Acme,pro,trial;vip", // 2 created, tag trigger, existing tag in another case
      "New2@Example.COM,New,Two,60,,,,", // 3 created, score trigger
      "not-an-email,Bad,,1,,,,", // 4 invalid email
      ",NoEmail,,1,,,,", // 5 missing email
      "bad-score@example.com,Bad,,high,,,,", // 6 not a whole number
      "bad-tz@example.com,Bad,,1,Mars/Olympus,,,", // 7 unknown time zone
      "range@example.com,Bad,,99999999,,,,", // 8 score out of range
      " NEW1@example.com ,Dup,,1,,,,", // 9 duplicate of line 2
      "existing@example.com,Changed,,70,Asia/Tokyo,New Co,,trial", // 10 update: keeps last name, crosses threshold, tag trigger
      "optout@example.com,Still,Out,90,,,,trial", // 11 update: stays unsubscribed, enrollments refused
      "gone@example.com,Back,,1,,,,", // 12 deleted: refused
      `tagged@example.com,Long,,1,,,,${longTag}`, // 13 tag too long
      "full@example.com,Full,,1,,Overflow,,", // 14 a 101st attribute
      "sparse@example.com,Filled,,,,Sparse Inc,basic,", // 15 update
      "EXISTING@example.com,Again,,1,,,,", // 16 duplicate of line 10
      "",
      "new3@example.com,\"Quoted, Name\",,,,,,Trial", // 18 created (after a blank line), tag in another case
    ].join("\r\n");

    const result = await importContacts(db, { ...csvFile(csv), fireTriggers: true });

    expect(result.imported).toBe(3);
    expect(result.updated).toBe(3);
    expect(result.failed.map((f) => f.line)).toEqual([4, 5, 6, 7, 8, 9, 12, 13, 14, 16]);
    const reasons = Object.fromEntries(result.failed.map((f) => [f.line, f.reason]));
    expect(reasons[4]).toMatch(/^Email "not-an-email": \S/);
    expect(reasons[5]).toBe("Email: missing");
    expect(reasons[6]).toBe('Lead score: "high" is not a whole number');
    expect(reasons[7]).toMatch(/^Time zone "Mars\/Olympus": \S/);
    expect(reasons[8]).toBe('Lead score "99999999": At most 1000000');
    expect(reasons[9]).toBe('Email "new1@example.com": duplicate of line 2 (the first one is imported)');
    expect(reasons[12]).toBe('Email "gone@example.com": This contact was deleted.');
    expect(reasons[13]).toBe(`Tag "${"t".repeat(40)}…": Tag names have at most 50 characters`);
    expect(reasons[14]).toBe("Attributes: A contact has at most 100 attributes");
    expect(reasons[16]).toBe('Email "existing@example.com": duplicate of line 10 (the first one is imported)');

    const state = await storedState();
    expect(state).toEqual([
      {
        email: "existing@example.com", firstName: "Changed", lastName: "Name", leadScore: 70, timezone: "Asia/Tokyo", status: "subscribed", deleted: false,
        attributeKeys: 2, attributes: { company: "New Co", Plan: "free" }, tags: ["trial"], consents: [],
        enrollments: ["Hot:trigger:score_threshold:active", "Trial:trigger:tag_added:active"],
      },
      {
        email: "full@example.com", firstName: "Test", lastName: null, leadScore: 0, timezone: "UTC", status: "subscribed", deleted: false,
        attributeKeys: 100, attributes: "(many)", tags: [], consents: [], enrollments: [],
      },
      {
        email: "gone@example.com", firstName: "Test", lastName: null, leadScore: 0, timezone: "UTC", status: "subscribed", deleted: true,
        attributeKeys: 0, attributes: {}, tags: [], consents: [], enrollments: [],
      },
      {
        email: "new1@example.com", firstName: "New", lastName: "One", leadScore: 10, timezone: "Europe/Paris", status: "subscribed", deleted: false,
        attributeKeys: 2, attributes: { company: "Acme", Plan: "pro" }, tags: ["VIP", "trial"], consents: ["subscribed:import"],
        enrollments: ["Trial:trigger:tag_added:active"],
      },
      {
        email: "new2@example.com", firstName: "New", lastName: "Two", leadScore: 60, timezone: "UTC", status: "subscribed", deleted: false,
        attributeKeys: 0, attributes: {}, tags: [], consents: ["subscribed:import"], enrollments: ["Hot:trigger:score_threshold:active"],
      },
      {
        email: "new3@example.com", firstName: "Quoted, Name", lastName: null, leadScore: 0, timezone: "UTC", status: "subscribed", deleted: false,
        attributeKeys: 0, attributes: {}, tags: ["trial"], consents: ["subscribed:import"], enrollments: ["Trial:trigger:tag_added:active"],
      },
      {
        email: "optout@example.com", firstName: "Still", lastName: "Out", leadScore: 90, timezone: "UTC", status: "unsubscribed", deleted: false,
        attributeKeys: 0, attributes: {}, tags: ["trial"], consents: [], enrollments: [],
      },
      {
        email: "sparse@example.com", firstName: "Filled", lastName: null, leadScore: 0, timezone: "UTC", status: "subscribed", deleted: false,
        attributeKeys: 2, attributes: { company: "Sparse Inc", Plan: "basic" }, tags: [], consents: [], enrollments: [],
      },
    ]);
    expect((await db.tag.findMany({ orderBy: { name: "asc" } })).map((t) => t.name)).toEqual(["VIP", "trial"]);
    // The opted-out contact's triggers were refused (and the refusals logged): no enrollment for it.
    expect(await db.enrollment.count()).toBe(5);
    const logged = await db.enrollmentEvent.findMany({ include: { contact: true, sequence: true } });
    expect(logged.map((e) => `${e.contact.email}:${e.sequence.name}:${e.type}:${e.reason}`).sort()).toEqual([
      "existing@example.com:Hot:enrolled:trigger:score_threshold",
      "existing@example.com:Trial:enrolled:trigger:tag_added",
      "new1@example.com:Trial:enrolled:trigger:tag_added",
      "new2@example.com:Hot:enrolled:trigger:score_threshold",
      "new3@example.com:Trial:enrolled:trigger:tag_added",
      "optout@example.com:Hot:enrollment_refused:contact_unsubscribed",
      "optout@example.com:Trial:enrollment_refused:contact_unsubscribed",
    ]);
  });

  it("with onlyFillEmpty, the same file fills only what existing contacts lack", async () => {
    await makeContact(db, { email: "existing@example.com", firstName: "Old", lastName: null, leadScore: 10, timezone: "Europe/London", attributes: { company: "Old Co", plan: "" } });
    const csv = "email,first_name,last_name,score,tz,Company,PLAN,tags\nexisting@example.com,New,Last,70,Asia/Tokyo,New Co,pro,vip\nfresh@example.com,Fresh,,5,Asia/Tokyo,Fresh Co,,\n";

    const result = await importContacts(db, { ...csvFile(csv), fireTriggers: false, onlyFillEmpty: true, tagNames: ["webinar"] });

    expect(result).toEqual({ imported: 1, updated: 1, failed: [] });
    const state = await storedState();
    expect(state).toEqual([
      {
        email: "existing@example.com", firstName: "Old", lastName: "Last", leadScore: 10, timezone: "Europe/London", status: "subscribed", deleted: false,
        attributeKeys: 2, attributes: { company: "Old Co", plan: "pro" }, tags: ["vip", "webinar"], consents: [], enrollments: [],
      },
      {
        email: "fresh@example.com", firstName: "Fresh", lastName: null, leadScore: 5, timezone: "Asia/Tokyo", status: "subscribed", deleted: false,
        attributeKeys: 1, attributes: { company: "Fresh Co" }, tags: ["webinar"], consents: ["subscribed:import"], enrollments: [],
      },
    ]);
  });
});

describe("importContacts when a batch cannot be written at once", () => {
  it("saves the batch row by row, so only the row PostgreSQL cannot store fails", async () => {
    const csv = "email,first_name,tags\nok1@example.com,One,vip\nnul@example.com,Bad\u0000Name,vip\nok2@example.com,Two,\n";
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const result = await importContacts(db, { ...csvFile(csv), fireTriggers: false });
      expect(result).toEqual({ imported: 2, updated: 0, failed: [{ line: 3, reason: "Could not be saved (unexpected error)" }] });
    } finally {
      console.error = original;
    }
    expect(errors.length).toBeGreaterThan(0);
    const state = await storedState();
    expect(state.map((c) => [c.email, c.firstName, c.tags, c.consents])).toEqual([
      ["ok1@example.com", "One", ["vip"], ["subscribed:import"]],
      ["ok2@example.com", "Two", [], ["subscribed:import"]],
    ]);
  });
});
