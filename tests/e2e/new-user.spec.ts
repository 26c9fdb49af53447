/**
 * What a new user hit trying the app end to end (issue 14), each checked
 * where they met it.
 */
import fs from "node:fs";
import type { Page } from "@playwright/test";
import { parseCsv } from "../../lib/contacts/csv";
import { e2eDb, enrollThroughUi, expect, openFirstStep, test, useRole } from "./support/fixtures";

useRole("marketer");

const stamp = () => `${Date.now()}${Math.floor(Math.random() * 1000)}`;
const toast = (page: Page, text: string | RegExp) => page.locator("[data-toast]").filter({ hasText: text });

async function activeSequenceTriggeredBy(name: string, tagName: string) {
  const db = e2eDb();
  const tag = await db.tag.create({ data: { name: tagName } });
  return db.sequence.create({
    data: {
      name,
      status: "active",
      steps: { create: [{ position: 0, subject: "Hello", body: "Hi there.", delayAmount: 1, delayUnit: "days" }] },
      triggers: { create: { type: "tag_added", tagId: tag.id } },
    },
  });
}

test("the sent message page reflows: no sideways scrolling at 1440 and 390 px", async ({ page }) => {
  const email = await enrollThroughUi(page, "Reflow");
  await openFirstStep(page, email, "Reflow");
  await expect(page.getByTestId("message-text")).toContainText("/unsubscribe/");
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({
      scrollWidth: document.scrollingElement!.scrollWidth,
      clientWidth: document.scrollingElement!.clientWidth,
    }));
    expect(scrollWidth, `at ${width} px`).toBeLessThanOrEqual(clientWidth);
  }
});

test("Settings says whether reply detection is configured", async ({ page }) => {
  // The e2e server runs with WEBHOOK_SECRET set (the webhook tests post replies).
  await page.goto("/settings");
  const card = page.getByRole("region", { name: "Reply detection" });
  await expect(card).toContainText("Configured");
  await expect(card).toContainText("/api/webhooks/replies");
  await expect(page.locator('[data-reply-detection="off"]')).toHaveCount(0);
});

test("adding a tag with a live trigger asks first, then says who was enrolled where", async ({ page }) => {
  const s = stamp();
  const tagName = `bulk-${s}`;
  const sequence = await activeSequenceTriggeredBy(`Bulk tag journey ${s}`, tagName);
  const db = e2eDb();
  for (const n of [1, 2, 3]) await db.contact.create({ data: { email: `bulk-${n}-${s}@example.com`, lastName: `Bulk${s}` } });

  await page.goto(`/contacts?q=Bulk${s}`);
  await expect(page.getByRole("table", { name: "Contacts" }).locator("tbody tr")).toHaveCount(3);
  await page.getByLabel("Select all contacts on this page").check();
  const bulk = page.getByRole("region", { name: "Bulk actions" });
  await bulk.getByLabel("Add tag").fill(tagName);
  await bulk.getByRole("button", { name: "Add tag" }).click();

  const dialog = page.getByRole("dialog", { name: `Adding “${tagName}” enrolls contacts` });
  await expect(dialog).toContainText(sequence.name);
  await expect(dialog).toContainText("3 selected contacts");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  expect(await db.contactTag.count({ where: { tag: { name: tagName } } })).toBe(0);
  expect(await db.enrollment.count({ where: { sequenceId: sequence.id } })).toBe(0);

  await bulk.getByRole("button", { name: "Add tag" }).click();
  await dialog.getByRole("button", { name: "Add tag and enroll" }).click();
  const done = toast(page, `Tag "${tagName}" added to 3 contacts`);
  await expect(done).toContainText(`Enrolled 3 in ${sequence.name}.`);
  expect(await db.enrollment.count({ where: { sequenceId: sequence.id, status: "active" } })).toBe(3);
});

test("a tag the contact has in another case is reported as already there", async ({ page }) => {
  const s = stamp();
  const db = e2eDb();
  const tag = await db.tag.create({ data: { name: `VIP-${s}` } });
  const contact = await db.contact.create({ data: { email: `cased-${s}@example.com`, tags: { create: { tagId: tag.id } } } });

  await page.goto(`/contacts/${contact.id}`);
  await page.getByLabel("Add a tag").fill(`vip-${s}`);
  await page.getByRole("button", { name: "Add", exact: true }).click();
  const field = page.locator("[data-field]").filter({ has: page.getByLabel("Add a tag") });
  await expect(field.locator("[data-field-error]")).toHaveText(`This contact already has the tag "VIP-${s}"`);
  await expect(toast(page, "added")).toHaveCount(0);
  await expect(page.getByRole("list", { name: "Tags" }).getByRole("listitem")).toHaveCount(1);
});

test("activation shows a live checklist, and a refusal does not outlive the data it was about", async ({ page }) => {
  const sequence = await e2eDb().sequence.create({ data: { name: `Checklist ${stamp()}` } });
  await page.goto(`/sequences/${sequence.id}`);
  const checklist = page.getByRole("list", { name: "Before activating" });
  const check = (id: string) => checklist.locator(`[data-check="${id}"]`);
  await expect(check("steps")).toHaveAttribute("data-done", "false");
  await expect(check("entry")).toHaveAttribute("data-done", "false");

  await page.getByRole("button", { name: "Activate" }).click();
  await expect(page.locator("[data-status-error]")).toContainText("Add at least one step.");

  await page.getByRole("button", { name: "Add step" }).click();
  await page.getByLabel("Subject", { exact: true }).fill("First email");
  await page.getByLabel("Body", { exact: true }).fill("Hello.");
  await page.getByRole("button", { name: "Save step" }).click();
  await expect(toast(page, "Step added").last()).toBeVisible();

  await expect(check("steps")).toHaveAttribute("data-done", "true");
  await expect(check("content")).toHaveAttribute("data-done", "true");
  await expect(page.locator("[data-status-error]")).toHaveCount(0);

  await page.getByLabel("Manual enrollment only").check();
  await expect(check("entry")).toHaveAttribute("data-done", "true");
  await page.getByRole("button", { name: "Activate" }).click();
  await expect(toast(page, "Sequence activated")).toBeVisible();
  await expect(checklist).toHaveCount(0);
});

test("an empty tag in the trigger form is reported once", async ({ page }) => {
  const sequence = await e2eDb().sequence.create({ data: { name: `Empty trigger ${stamp()}` } });
  await page.goto(`/sequences/${sequence.id}`);
  const form = page.getByRole("form", { name: "Add an entry trigger" });
  await form.getByRole("button", { name: "Add trigger" }).click();
  await expect(form.locator("[data-field-error]")).toHaveText("Pick or type a tag");
  await expect(form.getByText("Pick or type a tag")).toHaveCount(1);
});

test("the sequences list offers Archive only where the status allows it", async ({ page }) => {
  const s = stamp();
  const db = e2eDb();
  const names = { active: `Listed active ${s}`, draft: `Listed draft ${s}`, paused: `Listed paused ${s}` };
  for (const [status, name] of Object.entries(names)) await db.sequence.create({ data: { name, status: status as "active" | "draft" | "paused" } });

  await page.goto(`/sequences?q=${s}`);
  const table = page.getByRole("table", { name: "Sequences" });
  await expect(table.locator("tbody tr")).toHaveCount(3);
  await expect(table.getByRole("button", { name: `Archive ${names.active}` })).toHaveCount(0);
  await expect(table.getByRole("button", { name: `Archive ${names.draft}` })).toBeVisible();
  await expect(table.getByRole("button", { name: `Archive ${names.paused}` })).toBeVisible();
  await expect(table.getByRole("button", { name: `Duplicate ${names.active}` })).toBeVisible();
});

test("a CSV import says beforehand which rows are new, update or repeat a line; fills only empty fields if asked; failed rows download", async ({ page }) => {
  const s = stamp();
  const db = e2eDb();
  const existing = await db.contact.create({ data: { email: `known-${s}@example.com`, firstName: "Kept", lastName: null } });
  const csv = [
    "email,first_name,last_name",
    `known-${s}@example.com,Overwritten,Filled${s}`,
    `fresh-${s}@example.com,Fresh,Person${s}`,
    `FRESH-${s}@example.com,Second,Copy${s}`,
    `broken-${s},Bad,Row${s}`,
  ].join("\n");

  await page.goto("/contacts/import");
  await page.getByLabel("CSV file").setInputFiles({ name: `summary-${s}.csv`, mimeType: "text/csv", buffer: Buffer.from(csv) });
  const summary = page.getByRole("region", { name: "Before importing" });
  await expect(summary.locator('[data-summary="new"] dd')).toHaveText("2"); // fresh and the broken row (checked when imported)
  await expect(summary.locator('[data-summary="update"] dd')).toHaveText("1");
  await expect(summary.locator('[data-summary="duplicate"] dd')).toHaveText("1");
  const plan = summary.getByRole("table", { name: "Rows that update or are not imported" });
  await expect(plan.getByRole("row").filter({ hasText: `known-${s}@example.com` })).toContainText("updates the existing contact");
  await expect(plan.getByRole("row").filter({ hasText: `fresh-${s}@example.com` })).toContainText("duplicate of line 3");

  await page.getByLabel("Only fill empty fields").check();
  await page.getByRole("button", { name: "Import 4 rows" }).click();
  await expect(toast(page, "Import finished: 1 new, 1 updated, 2 with errors")).toBeVisible();
  const report = page.getByRole("table", { name: "Rows that were not imported" });
  const reportRows = await report.locator("tbody tr").evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll("td"), (td) => td.textContent?.trim())));
  expect(reportRows).toEqual([
    ["4", `Email "fresh-${s}@example.com": duplicate of line 3 (the first one is imported)`],
    ["5", `Email "broken-${s}": Enter a valid email address`],
  ]);

  // The existing contact kept its first name; its empty last name was filled. The first of the duplicates won.
  expect(await db.contact.findUniqueOrThrow({ where: { id: existing.id } })).toMatchObject({ firstName: "Kept", lastName: `Filled${s}` });
  expect(await db.contact.findUniqueOrThrow({ where: { email: `fresh-${s}@example.com` } })).toMatchObject({ firstName: "Fresh" });

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download the rows not imported (CSV)" }).click()]);
  expect(download.suggestedFilename()).toBe(`summary-${s}-not-imported.csv`);
  const rows = parseCsv(fs.readFileSync(await download.path(), "utf8")).map((r) => r.values);
  expect(rows).toEqual([
    ["email", "first_name", "last_name", "error"],
    [`FRESH-${s}@example.com`, "Second", `Copy${s}`, `Email "fresh-${s}@example.com": duplicate of line 3 (the first one is imported)`],
    [`broken-${s}`, "Bad", `Row${s}`, `Email "broken-${s}": Enter a valid email address`],
  ]);
});
