import type { Page } from "@playwright/test";
import { e2eDb, expect, test, useRole } from "./support/fixtures";

const unique = (label: string) => `${label} ${Date.now()}`;
const toast = (page: Page, text: string | RegExp) => page.locator("[data-toast]").filter({ hasText: text });

async function draft(name: string, subjects: string[] = []) {
  return e2eDb().sequence.create({
    data: { name, steps: { create: subjects.map((subject, position) => ({ position, subject, body: `Body of ${subject}`, delayAmount: 1, delayUnit: "days" as const })) } },
  });
}

/** Waits for the next browser dialog, answers it, and says what kind it was. */
function answerNextDialog(page: Page, accept: boolean) {
  return new Promise<{ type: string; message: string }>((resolve) => {
    page.once("dialog", async (dialog) => {
      const seen = { type: dialog.type(), message: dialog.message() };
      await (accept ? dialog.accept() : dialog.dismiss());
      resolve(seen);
    });
  });
}

test.describe("the builder as a marketer", () => {
  useRole("marketer");

  test("an edited, unsaved step asks before an in-app link leaves the page; cancelling keeps the edit", async ({ page }) => {
    const sequence = await draft(unique("Unsaved step"), ["Original subject"]);
    await page.goto(`/sequences/${sequence.id}`);
    await page.getByRole("button", { name: "Edit step 1" }).click();
    const subject = page.getByLabel("Subject", { exact: true });
    await subject.click();
    await subject.pressSequentially(" edited");

    const nav = page.getByRole("navigation", { name: "Main" });
    const dismissed = answerNextDialog(page, false);
    await nav.getByRole("link", { name: "Contacts" }).click();
    expect(await dismissed).toMatchObject({ type: "confirm", message: expect.stringContaining("unsaved changes") });
    await expect(page).toHaveURL(new RegExp(`/sequences/${sequence.id}$`));
    await expect(subject).toHaveValue("Original subject edited");

    const accepted = answerNextDialog(page, true);
    await nav.getByRole("link", { name: "Contacts" }).click();
    await accepted;
    await expect(page).toHaveURL(/\/contacts$/);
  });

  test("an edited sequence name asks before the tab is closed or reloaded (beforeunload)", async ({ page }) => {
    const sequence = await draft(unique("Unsaved name"));
    await page.goto(`/sequences/${sequence.id}`);
    const name = page.getByLabel("Name", { exact: true });
    await name.click();
    await name.pressSequentially(" renamed");

    const prompt = answerNextDialog(page, false);
    await page.close({ runBeforeUnload: true });
    expect((await prompt).type).toBe("beforeunload");
    expect(page.isClosed()).toBe(false);
  });

  test("a form without changes lets links navigate without asking", async ({ page }) => {
    const sequence = await draft(unique("Clean form"), ["Kept"]);
    await page.goto(`/sequences/${sequence.id}`);
    await page.getByRole("button", { name: "Edit step 1" }).click();
    let asked = false;
    page.on("dialog", async (dialog) => {
      asked = true;
      await dialog.dismiss();
    });
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Contacts" }).click();
    await expect(page).toHaveURL(/\/contacts$/);
    expect(asked).toBe(false);
  });

  test("a delay written as 1e3 is refused (digits only) and nothing is saved", async ({ page }) => {
    const sequence = await draft(unique("Exponent delay"));
    await page.goto(`/sequences/${sequence.id}`);
    await page.getByRole("button", { name: "Add step" }).click();
    const delay = page.getByLabel("Delay", { exact: true });
    await delay.fill("1e3");
    await page.getByLabel("Delay unit", { exact: true }).selectOption("hours");
    await page.getByLabel("Subject", { exact: true }).fill("Never stored");
    await page.getByLabel("Body", { exact: true }).fill("Body");
    await page.getByRole("button", { name: "Save step" }).click();
    await expect(page.locator("[data-field]").filter({ has: delay }).locator("[data-field-error]")).toHaveText("Digits only: a whole number such as 3");
    expect(await e2eDb().sequenceStep.count({ where: { sequenceId: sequence.id } })).toBe(0);
  });

  test("the stats panel shows a new step as soon as it is saved, not at its next poll", async ({ page }) => {
    const sequence = await draft(unique("Stats refresh"), ["First"]);
    const statsPath = `/api/sequences/${sequence.id}/stats`;
    const statsRequests: number[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname === statsPath) statsRequests.push(Date.now());
    });
    await page.goto(`/sequences/${sequence.id}`);
    await expect(page.locator('[data-step-stats="1"]')).toBeVisible();
    // Start right after a poll, so that the next one is a whole interval (5 s) away.
    const seen = statsRequests.length;
    await expect.poll(() => statsRequests.length, { timeout: 10_000, intervals: [50] }).toBeGreaterThan(seen);

    await page.getByRole("button", { name: "Add step" }).click();
    await page.getByLabel("Delay", { exact: true }).fill("2");
    await page.getByLabel("Subject", { exact: true }).fill("Second");
    await page.getByLabel("Body", { exact: true }).fill("Body");
    const clickedAt = Date.now();
    await page.getByRole("button", { name: "Save step" }).click();
    await expect(toast(page, "Step added")).toBeVisible();
    const savedAt = Date.now();

    await expect(page.locator('[data-step-stats="2"]')).toContainText("Second", { timeout: 5_000 });
    // Fetched right after the save (within a second of the confirmation), not at the next poll.
    expect(statsRequests.some((at) => at > clickedAt && at <= savedAt + 1_000), `stats requests ${statsRequests.map((at) => at - clickedAt)} ms after the click; saved after ${savedAt - clickedAt} ms`).toBe(true);
  });

  test("a completed enrollment reads Completed and its date, not Exited", async ({ page }) => {
    const db = e2eDb();
    const sequence = await db.sequence.create({ data: { name: unique("Completed row"), status: "active", steps: { create: [{ position: 0, subject: "Only", body: "b", delayAmount: 0, delayUnit: "minutes" }] } } });
    const contact = await db.contact.create({ data: { email: `completed-${Date.now()}@example.com`, firstName: "Done" } });
    await db.enrollment.create({ data: { contactId: contact.id, sequenceId: sequence.id, status: "completed", exitReason: "completed", exitedAt: new Date(), source: "manual", currentStepIndex: 1 } });

    await page.goto(`/sequences/${sequence.id}`);
    const row = page.getByRole("table", { name: "Enrollments" }).getByRole("row").filter({ hasText: contact.email });
    await expect(row).toContainText(/Completed \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await expect(row).not.toContainText("Exited");
    await expect(row).toContainText("Added by a team member");
  });
});
