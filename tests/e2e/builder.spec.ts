import type { Page } from "@playwright/test";
import { e2eDb, expect, storageStateFor, test, useRole } from "./support/fixtures";

const unique = (label: string) => `${label} ${Date.now()}`;
const toast = (page: Page, text: string | RegExp) => page.locator("[data-toast]").filter({ hasText: text });
const stepItems = (page: Page) => page.getByRole("list", { name: "Steps" }).getByRole("listitem");

/** A draft arranged in the database, with steps named by their subjects (in order). */
async function draftWithSteps(name: string, subjects: string[]) {
  return e2eDb().sequence.create({
    data: {
      name,
      steps: { create: subjects.map((subject, position) => ({ position, subject, body: `Body of ${subject}`, delayAmount: position, delayUnit: "days" as const })) },
    },
  });
}

async function addStep(page: Page, step: { delay: string; unit: "minutes" | "hours" | "days"; subject: string; body: string }) {
  await page.getByRole("button", { name: "Add step" }).click();
  await page.getByLabel("Delay", { exact: true }).fill(step.delay);
  await page.getByLabel("Delay unit", { exact: true }).selectOption(step.unit);
  await page.getByLabel("Subject", { exact: true }).fill(step.subject);
  await page.getByLabel("Body", { exact: true }).fill(step.body);
  await page.getByRole("button", { name: "Save step" }).click();
  await expect(toast(page, "Step added").last()).toBeVisible();
  await expect(page.getByRole("button", { name: "Add step" })).toBeVisible();
}

test.describe("as a marketer", () => {
  useRole("marketer");

  test("builds a sequence with two delayed steps and a tag trigger, activates it, and a tagged contact is enrolled", async ({ page, context }) => {
    const name = unique("Builder journey");
    const tagName = `e2e-tag-${Date.now()}`;
    const db = e2eDb();

    await page.goto("/sequences");
    await page.getByRole("link", { name: "New sequence" }).click();
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Description", { exact: true }).fill("Made by the builder e2e test");
    await page.getByRole("button", { name: "Create sequence" }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page).toHaveURL(/\/sequences\/[0-9a-f-]{36}$/);
    const sequenceUrl = page.url();

    await addStep(page, { delay: "1", unit: "hours", subject: "Hello {{firstName|there}}", body: "Welcome aboard." });
    await addStep(page, { delay: "2", unit: "days", subject: "Any questions?", body: "Just checking in." });
    await expect(stepItems(page)).toHaveCount(2);
    await expect(stepItems(page).nth(0)).toContainText("Step 1: Hello {{firstName|there}}");
    await expect(stepItems(page).nth(1)).toContainText("Step 2: Any questions?");

    const triggerForm = page.getByRole("form", { name: "Add an entry trigger" });
    await expect(triggerForm.getByLabel("Trigger type")).toHaveValue("tag_added");
    await triggerForm.getByLabel("Tag", { exact: true }).fill(tagName);
    await triggerForm.getByRole("button", { name: "Add trigger" }).click();
    await expect(toast(page, "Trigger added")).toBeVisible();
    await expect(page.getByRole("list", { name: "Entry triggers" })).toContainText(`Tag added: ${tagName}`);

    await page.getByRole("button", { name: "Activate" }).click();
    await expect(toast(page, "Sequence activated")).toBeVisible();
    await expect(page.getByRole("button", { name: "Pause" })).toBeVisible();
    const sequence = await db.sequence.findFirstOrThrow({ where: { name }, include: { steps: { orderBy: { position: "asc" } } } });
    expect(sequence.status).toBe("active");
    expect(sequence.steps.map((s) => [s.delayAmount, s.delayUnit])).toEqual([
      [1, "hours"],
      [2, "days"],
    ]);

    // The stats panel, open in its own tab, picks the enrollment up by polling.
    const statsPage = await context.newPage();
    await statsPage.goto(sequenceUrl);
    await expect(statsPage.locator('[data-stat="active"]')).toHaveText("0");

    const email = `tagged-${Date.now()}@example.com`;
    const contact = await db.contact.create({ data: { email, firstName: "Tagged" } });
    // The stats tab opened last is in front; a background tab runs no animation frames, so the dialog below would never settle.
    await page.bringToFront();
    await page.goto(`/contacts/${contact.id}`);
    await page.getByLabel("Add a tag").fill(tagName);
    await page.getByRole("button", { name: "Add", exact: true }).click();
    // The tag now enrolls: asked first, naming the sequence.
    const confirm = page.getByRole("dialog", { name: `Adding “${tagName}” enrolls contacts` });
    await expect(confirm).toContainText(name);
    await confirm.getByRole("button", { name: "Add tag and enroll" }).click();
    await expect(toast(page, `Tag "${tagName}" added`)).toBeVisible();
    await expect(toast(page, `Enrolled 1 in ${name}.`)).toBeVisible();
    await expect(page.getByRole("list", { name: "Tags" })).toContainText(tagName);

    await expect(statsPage.locator('[data-stat="active"]')).toHaveText("1", { timeout: 20_000 });
    await expect(statsPage.locator('[data-step-stats="1"]').getByRole("cell").first()).toHaveText("1"); // waiting for step 1

    await statsPage.reload();
    const row = statsPage.getByRole("table", { name: "Enrollments" }).getByRole("row").filter({ hasText: email });
    await expect(row).toContainText("Active");
    await expect(row).toContainText("Step 1");
    await expect(row).toContainText("Trigger: tag added");
  });

  test("reorders steps with the Move buttons and by drag and drop; the order persists", async ({ page }) => {
    const sequence = await draftWithSteps(unique("Reorder"), ["Alpha", "Bravo", "Charlie"]);
    const subjects = async () => (await stepItems(page).locator("h3").allTextContents()).map((t) => t.replace(/^\W*/, ""));

    await page.goto(`/sequences/${sequence.id}`);
    await expect.poll(subjects).toEqual(["Step 1: Alpha", "Step 2: Bravo", "Step 3: Charlie"]);

    await page.getByRole("button", { name: "Move step 1 down" }).click();
    await expect(page.locator("[data-reorder-announcement]")).toHaveText('Moved "Alpha" to position 2 of 3.');
    await expect.poll(subjects).toEqual(["Step 1: Bravo", "Step 2: Alpha", "Step 3: Charlie"]);
    await page.getByRole("button", { name: "Move step 3 up" }).click();
    await expect(page.locator("[data-reorder-announcement]")).toHaveText('Moved "Charlie" to position 2 of 3.');
    await expect.poll(subjects).toEqual(["Step 1: Bravo", "Step 2: Charlie", "Step 3: Alpha"]);
    await expect(page.getByRole("button", { name: "Move step 1 up" })).toBeDisabled();
    await expect(page.getByRole("button", { name: "Move step 3 down" })).toBeDisabled();

    await page.reload();
    await expect.poll(subjects).toEqual(["Step 1: Bravo", "Step 2: Charlie", "Step 3: Alpha"]);

    // Drag "Alpha" (last) onto the first place.
    await stepItems(page).nth(2).dragTo(stepItems(page).nth(0));
    await expect(page.locator("[data-reorder-announcement]")).toHaveText('Moved "Alpha" to position 1 of 3.');
    await page.reload();
    await expect.poll(subjects).toEqual(["Step 1: Alpha", "Step 2: Bravo", "Step 3: Charlie"]);

    const stored = await e2eDb().sequenceStep.findMany({ where: { sequenceId: sequence.id, deletedAt: null }, orderBy: { position: "asc" } });
    expect(stored.map((s) => s.subject)).toEqual(["Alpha", "Bravo", "Charlie"]);
  });

  test("an out-of-range delay shows a field error beside Delay and saves nothing", async ({ page }) => {
    const sequence = await draftWithSteps(unique("Bad delay"), []);
    await page.goto(`/sequences/${sequence.id}`);
    await page.getByRole("button", { name: "Add step" }).click();
    const delay = page.getByLabel("Delay", { exact: true });
    await delay.fill("400");
    await page.getByLabel("Delay unit", { exact: true }).selectOption("days");
    await page.getByLabel("Subject", { exact: true }).fill("Too late");
    await page.getByLabel("Body", { exact: true }).fill("This should never be stored.");
    await page.getByRole("button", { name: "Save step" }).click();

    const delayField = page.locator("[data-field]").filter({ has: delay });
    await expect(delayField.locator("[data-field-error]")).toHaveText("Delay must be between 0 and 365 days");
    await expect(delay).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator("[data-field-error]")).toHaveCount(1);
    await expect(page.getByRole("button", { name: "Save step" })).toBeVisible(); // the form stays open

    await page.getByRole("button", { name: "Cancel" }).click(); // leaving a filled-in form would ask first
    await page.reload();
    await expect(page.getByText("No steps yet. Add the first email of the sequence.")).toBeVisible();
    expect(await e2eDb().sequenceStep.count({ where: { sequenceId: sequence.id } })).toBe(0);
  });

  test("activating a sequence without steps or a trigger is refused with the server's message", async ({ page }) => {
    const sequence = await draftWithSteps(unique("Empty draft"), []);
    await page.goto(`/sequences/${sequence.id}`);
    await page.getByRole("button", { name: "Activate" }).click();

    const message = "This sequence cannot be activated yet. Add at least one step. Add an entry trigger, or choose manual enrollment only.";
    await expect(page.locator("[data-status-error]")).toHaveText(message);
    await expect(toast(page, message)).toBeVisible();
    await expect(page.getByRole("button", { name: "Activate" })).toBeVisible();

    // Manual enrollment only answers the trigger half; the missing step is still refused.
    await page.getByLabel("Manual enrollment only").check();
    await page.getByRole("button", { name: "Activate" }).click();
    await expect(page.locator("[data-status-error]")).toHaveText("This sequence cannot be activated yet. Add at least one step.");

    await page.reload();
    await expect(page.getByRole("button", { name: "Activate" })).toBeVisible();
    expect((await e2eDb().sequence.findUniqueOrThrow({ where: { id: sequence.id } })).status).toBe("draft");
  });
});

test.describe("as a viewer", () => {
  useRole("viewer");

  test("the builder shows a viewer no edit controls", async ({ page, browser }) => {
    const sequence = await draftWithSteps(unique("Read only"), ["First", "Second"]);
    const editControls = ["Add step", "Activate", "Archive", "Add trigger", "Move step 1 down", "Edit step 1", "Delete step", "Save settings", "Duplicate"];

    // A marketer sees these controls on the very same page...
    const marketer = await browser.newContext({ storageState: storageStateFor("marketer") });
    const marketerPage = await marketer.newPage();
    await marketerPage.goto(`/sequences/${sequence.id}`);
    for (const name of editControls) await expect(marketerPage.getByRole("button", { name }).first()).toBeVisible();
    await marketer.close();

    // ...the viewer reads the steps and settings but gets none of them.
    await page.goto(`/sequences/${sequence.id}`);
    await expect(page.getByRole("heading", { level: 1, name: sequence.name })).toBeVisible();
    await expect(stepItems(page)).toHaveCount(2);
    await expect(stepItems(page).nth(0)).toContainText("Step 1: First");
    for (const name of editControls) await expect(page.getByRole("button", { name })).toHaveCount(0);
    await expect(page.getByRole("form", { name: "Add an entry trigger" })).toHaveCount(0);
    await expect(page.getByLabel("Name", { exact: true })).toHaveCount(0);
    await expect(stepItems(page).first()).not.toHaveAttribute("draggable", "true");
  });
});
