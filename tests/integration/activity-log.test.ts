import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { exportActivityCsv, listActivityPage, type ActivityItem } from "../../lib/activity/activity-log";
import { parseCsv } from "../../lib/contacts/csv";
import { setTransport } from "../../lib/email/transports";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { exitContact } from "../../lib/sequences/exit-contact";
import { sendStep } from "../../lib/sequences/run-step";
import { parseActivityParams, ZActivityFilters, type TActivityParams } from "../../lib/validations/activity";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";
import { plannedSend } from "../support/plan";

process.env.STEPWISE_SIGNING_SECRET ??= "activity-log-test-secret-0123456789";
const db = testDb();
const events = recordEvents();

beforeEach(async () => {
  await resetDb();
  setTransport(null); // the mail catcher: sent steps get a CaughtMessage to link to
});
afterAll(() => {
  events.restore();
  setTransport(null);
});

async function arrange() {
  const onboarding = await makeSequence(db, { name: "Onboarding", steps: [{ delayAmount: 0, subject: "Welcome" }, { delayAmount: 1 }] });
  const webinar = await makeSequence(db, { name: "=HYPERLINK(\"http://evil\")" });
  const ada = await makeContact(db, { email: "ada@example.com", firstName: "Ada", lastName: "Lovelace" });
  const bob = await makeContact(db, { email: "bob@example.com", firstName: "Bob" });
  const adaIn = await enrollContact(db, { contactId: ada.id, sequenceId: onboarding.id, source: "manual" });
  await enrollContact(db, { contactId: bob.id, sequenceId: onboarding.id, source: "trigger:tag_added" });
  await enrollContact(db, { contactId: bob.id, sequenceId: webinar.id, source: "api" });
  await enrollContact(db, { contactId: bob.id, sequenceId: webinar.id, source: "api" }); // already_enrolled
  if (adaIn.outcome !== "enrolled") throw new Error("ada was not enrolled");
  const adaFirst = await plannedSend(db, adaIn.enrollmentId);
  expect(adaFirst.stepId).toBe(onboarding.steps[0].id);
  expect(await sendStep(db, adaFirst)).toMatchObject({ outcome: "sent" });
  await exitContact(db, { contactId: bob.id, sequenceId: webinar.id, reason: "removed", detail: "Removed by test" });
  return { onboarding, webinar, ada, bob };
}

const page = (params: Partial<TActivityParams>, size?: number) => listActivityPage(db, params as TActivityParams, size);
const kinds = (items: ActivityItem[]) => items.map((e) => `${e.type}:${e.contactEmail}:${e.sequenceName}`);

describe("the activity log", () => {
  it("filters by sequence, contact, event type and search, newest first", async () => {
    const { onboarding, webinar, ada, bob } = await arrange();
    const all = (await page({})).items;
    expect(all).toHaveLength(6);
    for (let i = 1; i < all.length; i++) expect(all[i - 1].createdAt.getTime()).toBeGreaterThanOrEqual(all[i].createdAt.getTime());

    expect((await page({ sequence: webinar.id })).items.every((e) => e.sequenceId === webinar.id)).toBe(true);
    expect((await page({ sequence: webinar.id })).items).toHaveLength(3);
    expect(kinds((await page({ contact: ada.id })).items).sort()).toEqual(["enrolled:ada@example.com:Onboarding", "step_sent:ada@example.com:Onboarding"]);
    expect((await page({ type: "exited" })).items.map((e) => [e.contactId, e.reason])).toEqual([[bob.id, "removed"]]);
    expect((await page({ type: "duplicate_refused" })).items.map((e) => e.reason)).toEqual(["already_enrolled"]);
    expect((await page({ q: "LOVELACE" })).items.every((e) => e.contactId === ada.id)).toBe(true);
    expect((await page({ q: "bob@" })).items).toHaveLength(4);
    expect((await page({ q: "50%_" })).items).toHaveLength(0); // LIKE wildcards are text
    expect((await page({ sequence: onboarding.id, type: "enrolled", q: "bob" })).items.map((e) => e.reason)).toEqual(["trigger:tag_added"]);
  });

  it("filters by UTC day, the end day included", async () => {
    const { ada } = await arrange();
    const day = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect((await page({ from: day, to: day })).items).toHaveLength(6);
    expect((await page({ to: yesterday })).items).toHaveLength(0);
    await db.enrollmentEvent.create({ data: { type: "enrolled", contactId: ada.id, sequenceId: (await db.sequence.findFirstOrThrow()).id, reason: "seed", createdAt: new Date(`${yesterday}T23:59:59.999Z`) } });
    expect((await page({ to: yesterday })).items.map((e) => e.reason)).toEqual(["seed"]);
    expect((await page({ from: day })).items).toHaveLength(6);
  });

  it("links a sent step to its caught message", async () => {
    await arrange();
    const sent = (await page({ type: "step_sent" })).items;
    expect(sent).toHaveLength(1);
    const message = await db.caughtMessage.findFirstOrThrow();
    expect(sent[0].messageId).toBe(message.id);
    expect((await page({ type: "enrolled" })).items.every((e) => e.messageId === null)).toBe(true);
  });

  it("pages by keyset: every event exactly once going older, the same pages coming back newer", async () => {
    const { onboarding, ada } = await arrange();
    // Many events in the same millisecond: the id breaks the tie.
    const at = new Date(Date.now() - 60_000);
    await db.enrollmentEvent.createMany({ data: Array.from({ length: 23 }, (_, i) => ({ type: "step_skipped" as const, contactId: ada.id, sequenceId: onboarding.id, reason: `sequence_paused`, createdAt: i < 12 ? at : new Date(at.getTime() - i) })) });
    const total = await db.enrollmentEvent.count();
    const pages: ActivityItem[][] = [];
    let cursor: string | undefined;
    do {
      const result = await page({ before: cursor }, 5);
      pages.push(result.items);
      cursor = result.olderCursor ?? undefined;
      expect(pages.length).toBeLessThan(20);
    } while (cursor);
    const ids = pages.flat().map((e) => e.id);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    expect(pages.at(-1)!.length).toBeGreaterThan(0);

    // Back from the last page, newer and newer: the same pages in reverse.
    let newer = (await page({ after: pages.at(-1)!.at(0)!.id }, 5));
    expect(newer.items.map((e) => e.id)).toEqual(pages.at(-2)!.map((e) => e.id));
    const first = await page({}, 5);
    expect(first.newerCursor).toBeNull();
    newer = await page({ after: pages[1][0].id }, 5);
    expect(newer.items.map((e) => e.id)).toEqual(pages[0].map((e) => e.id));
    expect(newer.newerCursor).toBeNull();
  });

  it("exports the filtered log as CSV: wordings beside codes, formulas neutralized", async () => {
    const { webinar } = await arrange();
    let text = "";
    for await (const chunk of exportActivityCsv(db, ZActivityFilters.parse({ sequence: webinar.id }))) text += chunk;
    const [header, ...rows] = parseCsv(text).map((r) => r.values);
    expect(header).toEqual(["time", "event", "event_code", "why", "why_code", "contact_email", "sequence", "step_subject", "event_id"]);
    expect(rows.map((r) => [r[1], r[2], r[3], r[4]])).toEqual([
      ["Exited", "exited", "Removed manually", "removed"],
      ["Already enrolled", "duplicate_refused", "already in the sequence", "already_enrolled"],
      ["Enrolled", "enrolled", "Through the API", "api"],
    ]);
    expect(rows.every((r) => r[6] === `'${webinar.name}`)).toBe(true);
  });

  it("drops a malformed filter on the page on its own; the export's schema refuses it", () => {
    expect(parseActivityParams({ sequence: "not-an-id", type: "exited", from: "2026-02-30", before: "1; DROP" })).toEqual({ type: "exited" });
    expect(ZActivityFilters.safeParse({ type: "nope" }).success).toBe(false);
    expect(ZActivityFilters.safeParse({ from: "2026-03-02", to: "2026-03-01" }).success).toBe(false);
  });
});
