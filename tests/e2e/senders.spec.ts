import type { Page } from "@playwright/test";
import { e2eDb, expect, test, useRole } from "./support/fixtures";

const toast = (page: Page, text: string | RegExp) => page.locator("[data-toast]").filter({ hasText: text });

test.describe("sender identities", () => {
  useRole("admin");

  test("an admin adds a sender, a sequence picks it, and a test send from it shows on the Sent mail page", async ({ page }) => {
    // A long journey (five pages): more than the default minute on a loaded machine.
    test.slow();
    const n = Date.now();
    const address = `sam-${n}@acme.example`;
    const db = e2eDb();
    const sequence = await db.sequence.create({
      data: { name: `Senders ${n}`, steps: { create: [{ position: 0, subject: `Hello ${n}`, body: "Body", delayAmount: 1, delayUnit: "days" }] } },
    });

    await page.goto("/settings/senders");
    await page.getByRole("button", { name: "Add sender" }).click();
    const form = page.getByRole("form", { name: "Add sender" });
    // A line break cannot be typed into an input; a bad address is the field error to see here.
    await form.getByLabel("From name").fill(`Sam ${n}`);
    await form.getByLabel("From address").fill("not-an-address");
    await form.getByRole("button", { name: "Add sender" }).click();
    await expect(form.getByText("Enter a valid email address")).toBeVisible();
    await form.getByLabel("From address").fill(address);
    await form.getByLabel("Reply-to address").fill(`inbox-${n}@acme.example`);
    await form.getByRole("button", { name: "Add sender" }).click();
    await expect(toast(page, "Sender added")).toBeVisible();
    await expect(page.locator(`[data-sender="${address}"]`)).toContainText(`Sam ${n}`);

    await page.goto(`/sequences/${sequence.id}`);
    await page.getByLabel("Sender", { exact: true }).selectOption({ label: `Sam ${n} <${address}>` });
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(toast(page, "Settings saved")).toBeVisible();
    await expect(page.locator("[data-sequence-sender]")).toContainText(`Sam ${n} <${address}>`);

    await page.getByRole("button", { name: "Edit step 1" }).click();
    await expect(page.locator("[data-preview-from]")).toHaveText(`Sam ${n} <${address}>`);
    await page.getByRole("button", { name: "Send a test to me" }).click();
    await expect(toast(page, "Test sent to admin@stepwise.local")).toBeVisible();

    await page.goto(`/mail?q=${encodeURIComponent(`[Test] Hello ${n}`)}`);
    await page.getByRole("link", { name: `[Test] Hello ${n}` }).click();
    await expect(page.locator('[data-header="From"]')).toHaveText(`Sam ${n} <${address}>`);
    await expect(page.locator('[data-header="Reply-To"]')).toHaveText(`inbox-${n}@acme.example`);

    // In use now: deleting it is refused, naming the sequence.
    await page.goto("/settings/senders");
    await page.locator(`[data-sender="${address}"]`).getByRole("button", { name: "Delete" }).click();
    await page.getByRole("button", { name: "Delete sender" }).click();
    await expect(page.getByRole("dialog")).toContainText(`Senders ${n}`);
    expect(await db.sender.count({ where: { fromAddress: address } })).toBe(1);
  });
});
