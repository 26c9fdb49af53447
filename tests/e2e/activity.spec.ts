import fs from "node:fs";
import type { Page } from "@playwright/test";
import * as PrismaEnums from "../../lib/generated/prisma/enums";
import { CONSENT_SOURCE_WORDINGS, FAILURE_WORDINGS, REFUSAL_WORDINGS } from "../../lib/wordings";
import { e2eDb, enrollThroughUi, expect, openFirstStep, test, useRole } from "./support/fixtures";

const stamp = () => `${Date.now()}-${Math.floor(Math.random() * 1e4)}`;

/** A contact with one of every kind of event a marketer reads about, in a sequence of its own. */
async function contactWithHistory() {
  const db = e2eDb();
  const id = stamp();
  const sequence = await db.sequence.create({ data: { name: `History ${id}`, status: "active", steps: { create: [{ position: 0, subject: "Hello", body: "b", delayAmount: 0, delayUnit: "minutes" }] } } });
  const contact = await db.contact.create({ data: { email: `history-${id}@example.com`, firstName: "History", status: "unsubscribed" } });
  const enrollment = await db.enrollment.create({ data: { contactId: contact.id, sequenceId: sequence.id, status: "opted_out", exitReason: "opted_out", exitedAt: new Date(), source: "trigger:tag_added" } });
  await db.consentEvent.create({ data: { contactId: contact.id, type: "unsubscribed", source: "unsubscribe_page" } });
  const at = (s: number) => new Date(Date.now() - 60_000 + s * 1000);
  const base = { contactId: contact.id, sequenceId: sequence.id };
  await db.enrollmentEvent.createMany({
    data: [
      { ...base, type: "enrolled", enrollmentId: enrollment.id, reason: "trigger:tag_added", createdAt: at(1) },
      { ...base, type: "duplicate_refused", enrollmentId: enrollment.id, reason: "already_enrolled", createdAt: at(2) },
      { ...base, type: "step_skipped", enrollmentId: enrollment.id, reason: "contact_unsubscribed", createdAt: at(3) },
      { ...base, type: "exited", enrollmentId: enrollment.id, reason: "opted_out", data: { detail: "unsubscribed (unsubscribe_page)" }, createdAt: at(4) },
      { ...base, type: "enrollment_refused", reason: "contact_unsubscribed", createdAt: at(5) },
      { ...base, type: "enrolled", reason: "manual", createdAt: at(0) },
    ],
  });
  return { sequence, contact };
}

/** Every code the database or the domain records that is not a plain word. */
const RAW_CODES = [
  ...Object.values(PrismaEnums).flatMap((values) => Object.values(values as Record<string, string>)).filter((v) => v.includes("_")),
  ...Object.keys(REFUSAL_WORDINGS),
  ...Object.keys(CONSENT_SOURCE_WORDINGS).filter((v) => v.includes("_")),
  ...Object.keys(FAILURE_WORDINGS),
];

async function expectNoRawCodes(page: Page) {
  const text = await page.locator("main").innerText();
  const found = [...new Set(RAW_CODES)].filter((code) => new RegExp(`(^|[^\\w-])${code}\\b`).test(text));
  // An enrollment source as stored ("trigger:tag_added"); "by trigger: tag added" is the wording.
  found.push(...(text.match(/trigger:\S+/g) ?? []));
  expect(found, `raw codes on ${page.url()}`).toEqual([]);
  await expect(page.locator("main").getByRole("cell", { name: /^(manual|api|import|seed)$/ })).toHaveCount(0);
}

test.describe("as a viewer", () => {
  useRole("viewer");

  test("the main pages show words, not the codes the database stores", async ({ page }) => {
    const { sequence, contact } = await contactWithHistory();
    for (const path of [`/contacts/${contact.id}`, `/sequences/${sequence.id}`, `/activity?contact=${contact.id}`, "/activity", "/sequences", "/contacts"]) {
      await page.goto(path);
      await expect(page.locator("main h1")).toBeVisible();
      await expectNoRawCodes(page);
    }
    // And the words are there.
    await page.goto(`/contacts/${contact.id}`);
    const timeline = page.getByRole("list", { name: "Timeline" });
    await expect(timeline).toContainText("by trigger: tag added");
    await expect(timeline).toContainText("Unsubscribed via the unsubscribe page");
    await expect(timeline).toContainText("Not enrolled in");
    await expect(page.getByRole("list", { name: "Consent history" })).toContainText("via the unsubscribe page");
  });

  test("filters the log by contact, event type and sequence, links to the contact and the sequence, and exports what it shows", async ({ page }) => {
    const { sequence, contact } = await contactWithHistory();
    await page.goto(`/activity?contact=${contact.id}`);
    const rows = page.getByRole("table", { name: "Activity" }).getByRole("row");
    await expect(rows).toHaveCount(1 + 6);

    const form = page.getByRole("search", { name: "Filter activity" });
    await form.getByLabel("Event").selectOption({ label: "Exited" });
    await form.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/type=exited/);
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(1)).toContainText("Opted out");

    await form.getByLabel("Event").selectOption({ label: "Any event" });
    await form.getByLabel("Sequence").selectOption({ label: sequence.name });
    await form.getByLabel("Search").fill(contact.email.slice(0, 12));
    await form.getByRole("button", { name: "Filter" }).click();
    await expect(rows).toHaveCount(1 + 6);
    await expect(rows.nth(1)).toContainText("Enrollment refused"); // the newest of the contact's events

    const downloadPromise = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const download = await downloadPromise;
    const csv = fs.readFileSync((await download.path())!, "utf8");
    const lines = csv.trim().split(/\r\n/);
    expect(lines).toHaveLength(1 + 6);
    expect(lines[0]).toContain("event,event_code,why,why_code");
    expect(csv).toContain("Already enrolled,duplicate_refused,already in the sequence,already_enrolled");

    await rows.nth(1).getByRole("link", { name: contact.email }).click();
    await expect(page).toHaveURL(new RegExp(`/contacts/${contact.id}$`));
    await page.goBack();
    await rows.nth(1).getByRole("link", { name: sequence.name }).click();
    await expect(page).toHaveURL(new RegExp(`/sequences/${sequence.id}$`));
  });

  test("pages through a long log with Older and Newer", async ({ page }) => {
    const { contact, sequence } = await contactWithHistory();
    const at = Date.now() - 3_600_000;
    await e2eDb().enrollmentEvent.createMany({
      data: Array.from({ length: 60 }, (_, i) => ({ contactId: contact.id, sequenceId: sequence.id, type: "step_skipped" as const, reason: "sequence_paused", createdAt: new Date(at - i * 1000) })),
    });
    await page.goto(`/activity?contact=${contact.id}`);
    const rows = page.getByRole("table", { name: "Activity" }).getByRole("row");
    await expect(rows).toHaveCount(1 + 50);
    await expect(page.getByRole("link", { name: "← Newer" })).toHaveCount(0);
    await page.getByRole("link", { name: "Older →" }).click();
    await expect(rows).toHaveCount(1 + 16);
    await expect(rows.nth(1)).toContainText("sequence paused");
    await expect(page.getByRole("link", { name: "Older →" })).toHaveCount(0);
    await page.getByRole("link", { name: "← Newer" }).click();
    await expect(rows).toHaveCount(1 + 50);
    await expect(page.getByRole("link", { name: "← Newer" })).toHaveCount(0);
  });

  test("the export refuses a signed-out caller and a malformed filter", async ({ page, playwright, baseURL }) => {
    expect((await page.request.get("/api/activity/export?type=nope")).status()).toBe(400);
    // An empty storage state: the test's own (signed-in viewer) would otherwise be used.
    const anonymous = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    const response = await anonymous.get("/api/activity/export", { maxRedirects: 0 });
    expect(response.status()).toBe(401);
    await anonymous.dispose();
  });
});

test.describe("as a marketer", () => {
  useRole("marketer");

  test("a sent step links to the message that was sent", async ({ page }) => {
    const email = await enrollThroughUi(page, "Linked");
    await openFirstStep(page, email, "Linked"); // waits until it is sent
    await page.goto(`/activity?q=${encodeURIComponent(email)}&type=step_sent`);
    const row = page.getByRole("table", { name: "Activity" }).getByRole("row").nth(1);
    await expect(row).toContainText("Step sent");
    await row.getByRole("link", { name: "View message" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Welcome to Acme, Linked" })).toBeVisible();
  });
});
