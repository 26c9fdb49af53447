import fs from "node:fs";
import type { Page } from "@playwright/test";
import { parseCsv } from "../../lib/contacts/csv";
import { e2eDb, enrollThroughUi, expect, test, useRole } from "./support/fixtures";

useRole("marketer");

const toast = (page: Page, text: string | RegExp) => page.locator("[data-toast]").filter({ hasText: text });
const contactsTable = (page: Page) => page.getByRole("table", { name: "Contacts" });
/** The emails in the list, in the order shown. */
const listedEmails = (page: Page) => contactsTable(page).locator("tbody tr").locator("td:nth-child(3)").allTextContents();
/**
 * The emails listed, sorted, once the list shows the filters just applied:
 * the URL changes before the server's new list has rendered, so a single
 * read right after navigating can see the page in between.
 */
const expectListed = (page: Page, emails: string[]) => expect.poll(async () => (await listedEmails(page)).sort()).toEqual([...emails].sort());

async function filterList(page: Page, filters: { q?: string; tagName?: string }) {
  await page.goto("/contacts");
  const form = page.getByRole("search", { name: "Filter contacts" });
  if (filters.q !== undefined) await form.getByLabel("Search").fill(filters.q);
  if (filters.tagName !== undefined) await form.getByLabel("Tag", { exact: true }).selectOption({ label: filters.tagName });
  await form.getByRole("button", { name: "Apply filters" }).click();
  await page.waitForURL(/\/contacts\?/);
}

test("search and tag filters narrow the list; a contact's timeline shows their enrollment", async ({ page }) => {
  const db = e2eDb();
  const stamp = Date.now();
  const tag = await db.tag.create({ data: { name: `vip-${stamp}` } });
  const tagged = await db.contact.create({ data: { email: `finder-a-${stamp}@example.com`, firstName: "Finley", lastName: `Tagged${stamp}`, tags: { create: { tagId: tag.id } } } });
  await db.contact.create({ data: { email: `finder-b-${stamp}@example.com`, firstName: "Fiona", lastName: `Plain${stamp}` } });

  await filterList(page, { q: String(stamp) });
  await expectListed(page, [`finder-a-${stamp}@example.com`, `finder-b-${stamp}@example.com`]);
  await expect(page.getByRole("heading", { level: 1, name: "Contacts" })).toBeVisible();
  await expect(page.getByText("2 matching contacts")).toBeVisible();

  await filterList(page, { q: String(stamp), tagName: tag.name });
  expect(new URL(page.url()).searchParams.get("tag")).toBe(tag.id);
  await expectListed(page, [tagged.email]);
  await expect(page.getByText("1 matching contact", { exact: true })).toBeVisible();
  await expect(contactsTable(page).getByRole("row").filter({ hasText: tagged.email })).toContainText(tag.name);

  // The tag filter alone finds them too; the search alone for the other one does not.
  await filterList(page, { tagName: tag.name });
  await expectListed(page, [tagged.email]);
  await filterList(page, { q: `nobody-${stamp}` });
  await expect(page.getByText("No contacts match these filters")).toBeVisible();

  await filterList(page, { tagName: tag.name });
  await contactsTable(page).getByRole("link", { name: `Finley Tagged${stamp}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Finley Tagged${stamp}` })).toBeVisible();
  await expect(page.getByText("Nothing has happened yet")).toBeVisible();
  await expect(page.getByText("Not in any sequence")).toBeVisible();

  // Enroll them through the list's bulk action, then come back.
  await filterList(page, { tagName: tag.name });
  await page.getByLabel(`Select ${tagged.email}`).check();
  const bulk = page.getByRole("region", { name: "Bulk actions" });
  await expect(bulk).toContainText("1 contact selected");
  await bulk.getByLabel("Enroll into").selectOption({ label: "Trial onboarding" });
  await bulk.getByRole("button", { name: "Enroll" }).click();
  await expect(toast(page, "1 enrolled · 0 already enrolled · 0 refused")).toBeVisible();

  await page.goto(`/contacts/${tagged.id}`);
  const timeline = page.getByRole("list", { name: "Timeline" });
  await expect(timeline.getByText(/^Enrolled in Trial onboarding/)).toBeVisible();
  await expect(page.getByRole("table", { name: "Enrollments" }).getByRole("row").filter({ hasText: "Trial onboarding" })).toContainText("Active");
});

test("a CSV import reports each bad row with its line and reason; the good rows are added", async ({ page }) => {
  const stamp = Date.now();
  const csv = [
    "email,first_name,last_name,lead_score,tags",
    `good-one-${stamp}@example.com,Gail,Import${stamp},10,imported-${stamp}`,
    `not-an-email-${stamp},Bad,Address,5,`,
    `good-two-${stamp}@example.com,Gus,Import${stamp},abc,`,
    `,Missing,Email,1,`,
    `good-three-${stamp}@example.com,Gwen,Import${stamp},3,imported-${stamp};second-${stamp}`,
  ].join("\n");

  await page.goto("/contacts");
  await page.getByRole("link", { name: "Import CSV" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Import contacts" })).toBeVisible();
  await page.getByLabel("CSV file").setInputFiles({ name: `people-${stamp}.csv`, mimeType: "text/csv", buffer: Buffer.from(csv) });

  await expect(page.getByText(`people-${stamp}.csv`)).toBeVisible();
  await expect(page.getByRole("table", { name: "Preview of the first rows" }).locator("tbody tr")).toHaveCount(5);
  await expect(page.getByLabel("email", { exact: true })).toHaveValue("email");
  await expect(page.getByLabel("lead_score", { exact: true })).toHaveValue("leadScore");
  await expect(page.getByLabel("tags", { exact: true })).toHaveValue("tags");
  await page.getByRole("button", { name: "Import 5 rows" }).click();

  await expect(page.getByRole("heading", { name: "Import report" })).toBeVisible();
  await expect(toast(page, "Import finished: 2 new, 0 updated, 3 with errors")).toBeVisible();
  const report = page.getByRole("table", { name: "Rows that were not imported" });
  const reportRows = await report.locator("tbody tr").evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll("td"), (td) => td.textContent?.trim())));
  expect(reportRows).toEqual([
    ["3", `Email "not-an-email-${stamp}": Enter a valid email address`],
    ["4", 'Lead score: "abc" is not a whole number'],
    ["5", "Email: missing"],
  ]);

  await page.getByRole("link", { name: "View contacts" }).click();
  await filterList(page, { q: `Import${stamp}` });
  await expectListed(page, [`good-one-${stamp}@example.com`, `good-three-${stamp}@example.com`]);
  await expect(contactsTable(page).getByRole("row").filter({ hasText: `good-three-${stamp}@example.com` })).toContainText(`second-${stamp}`);
  expect(await e2eDb().contact.count({ where: { email: { contains: String(stamp) } } })).toBe(2);
});

test("Mark as replied, after confirming, ends the enrollment as replied", async ({ page }) => {
  const email = await enrollThroughUi(page, "Answering");
  const contact = await e2eDb().contact.findUniqueOrThrow({ where: { email } });
  await page.goto(`/contacts/${contact.id}`);
  const row = page.getByRole("table", { name: "Enrollments" }).getByRole("row").filter({ hasText: "Trial onboarding" });
  await expect(row).toContainText("Active");

  await row.getByRole("button", { name: "Mark as replied" }).click();
  const dialog = page.getByRole("dialog", { name: "Mark as replied?" });
  await expect(dialog).toContainText('leaves "Trial onboarding" with reason "replied"');
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  expect((await e2eDb().enrollment.findFirstOrThrow({ where: { contactId: contact.id } })).status).toBe("active");

  await row.getByRole("button", { name: "Mark as replied" }).click();
  await dialog.getByRole("button", { name: "Mark as replied" }).click();
  await expect(toast(page, 'Marked as replied: left "Trial onboarding"')).toBeVisible();
  await expect(row.locator("[data-status]")).toHaveText("Replied");
  await expect(row).toContainText("Replied");
  await expect(row.getByRole("button", { name: "Mark as replied" })).toHaveCount(0);
  await expect(page.getByRole("list", { name: "Timeline" }).getByText(/^Exited: /).first()).toBeVisible();

  const enrollment = await e2eDb().enrollment.findFirstOrThrow({ where: { contactId: contact.id } });
  expect(enrollment).toMatchObject({ status: "replied", exitReason: "replied" });
});

test("Delete contact, after confirming, removes them from the list and ends their enrollment", async ({ page }) => {
  const email = await enrollThroughUi(page, "Leaving");
  const db = e2eDb();
  const contact = await db.contact.findUniqueOrThrow({ where: { email } });
  await page.goto(`/contacts/${contact.id}`);

  await page.getByRole("button", { name: "Delete contact" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete this contact?" });
  await expect(dialog).toContainText("leaves every sequence they are in");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).deletedAt).toBeNull();

  await page.getByRole("button", { name: "Delete contact" }).click();
  await dialog.getByRole("button", { name: "Delete contact" }).click();
  await expect(page).toHaveURL(/\/contacts$/);
  await expect(toast(page, "Leaving deleted")).toContainText("Removed from 1 sequence.");
  await expect(contactsTable(page).getByText(email)).toHaveCount(0);

  await filterList(page, { q: email });
  await expect(page.getByText("No contacts match these filters")).toBeVisible();
  const enrollment = await db.enrollment.findFirstOrThrow({ where: { contactId: contact.id } });
  expect(enrollment).toMatchObject({ status: "contact_deleted", exitReason: "contact_deleted" });
});

test("Export CSV downloads the filtered list: same header and rows", async ({ page }) => {
  const db = e2eDb();
  const stamp = Date.now();
  const tag = await db.tag.create({ data: { name: `export-${stamp}` } });
  const people = [
    { email: `exp-a-${stamp}@example.com`, firstName: "Ada", lastName: "Export", leadScore: 7, attributes: { company: "Acme, Inc." } },
    { email: `exp-b-${stamp}@example.com`, firstName: "Ben", lastName: null, leadScore: 0, attributes: {} },
    { email: `exp-c-${stamp}@example.com`, firstName: null, lastName: "Quote \"Q\"", leadScore: 12, attributes: { plan: "pro" } },
  ];
  for (const p of people) await db.contact.create({ data: { ...p, tags: { create: { tagId: tag.id } } } });
  // Matches the search but not the tag: must not be exported.
  await db.contact.create({ data: { email: `exp-untagged-${stamp}@example.com`, firstName: "Ned", attributes: { secret: "x" } } });

  await filterList(page, { q: `exp-`, tagName: tag.name });
  await expectListed(page, people.map((p) => p.email));
  const shown = await listedEmails(page);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^contacts-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = fs.readFileSync(await download.path(), "utf8");
  const [header, ...rows] = parseCsv(text).map((r) => r.values);
  expect(header).toEqual(["email", "first_name", "last_name", "status", "lead_score", "timezone", "tags", "created_at", "company", "plan"]);
  expect(rows.map((r) => r[0]).sort()).toEqual(shown.sort());

  const byEmail = new Map(rows.map((r) => [r[0], r]));
  for (const p of people) {
    const row = byEmail.get(p.email)!;
    expect(row.slice(0, 7)).toEqual([p.email, p.firstName ?? "", p.lastName ?? "", "subscribed", String(p.leadScore), "UTC", tag.name]);
    expect(row.slice(8)).toEqual([(p.attributes as Record<string, string>).company ?? "", (p.attributes as Record<string, string>).plan ?? ""]);
    // The list shows the same contact the same way.
    const listRow = contactsTable(page).getByRole("row").filter({ hasText: p.email });
    await expect(listRow.locator("td").nth(4)).toHaveText(String(p.leadScore));
    await expect(listRow.locator("[data-status]")).toHaveText("Subscribed");
  }
});

test("Next and Previous page through the list by position; a sort starts over at its first page", async ({ page }) => {
  const db = e2eDb();
  const stamp = Date.now();
  // 30 matches, 25 a page: two pages in score order, ties on score broken by id.
  await db.contact.createMany({
    data: Array.from({ length: 30 }, (_, i) => ({ email: `pager-${String(i).padStart(2, "0")}-${stamp}@example.com`, firstName: "Pager", lastName: `P${stamp}`, leadScore: i % 3 })),
  });
  await filterList(page, { q: `P${stamp}` });
  const pager = page.getByRole("navigation", { name: "Pagination" });
  await contactsTable(page).getByRole("link", { name: /Lead score/ }).click();
  await expect(page).toHaveURL(/sort=score/);
  await expect(pager).toContainText("Page 1 of 2");
  const firstPage = await listedEmails(page);
  expect(firstPage).toHaveLength(25);

  await pager.getByRole("link", { name: "Next" }).click();
  await expect(pager).toContainText("Page 2 of 2");
  expect(new URL(page.url()).searchParams.get("after")).toBeTruthy();
  expect(new URL(page.url()).searchParams.get("page")).toBeNull();
  const secondPage = await listedEmails(page);
  expect(secondPage).toHaveLength(5);
  // Every match once across the two pages.
  expect(new Set([...firstPage, ...secondPage]).size).toBe(30);
  await expect(pager.getByText("Next")).toHaveAttribute("aria-disabled", "true");

  await pager.getByRole("link", { name: "Previous" }).click();
  await expect(pager).toContainText("Page 1 of 2");
  expect(new URL(page.url()).searchParams.get("after")).toBeNull();
  expect(await listedEmails(page)).toEqual(firstPage);

  // A position in one order means nothing in another: sorting drops it.
  await pager.getByRole("link", { name: "Next" }).click();
  await expect(pager).toContainText("Page 2 of 2");
  await contactsTable(page).getByRole("link", { name: /Email/ }).click();
  await expect(page).toHaveURL(/sort=email/);
  expect(new URL(page.url()).searchParams.get("after")).toBeNull();
  await expect(pager).toContainText("Page 1 of 2");
});
