import type { Page } from "@playwright/test";
import { e2eDb, expect, test, useRole } from "./support/fixtures";

const toast = (page: Page, text: string | RegExp) => page.locator("[data-toast]").filter({ hasText: text });

test.describe("authoring a step", () => {
  useRole("marketer");

  test("a link and a merge tag from the picker, previewed as a chosen contact, sent as a test and read on the Sent mail page", async ({ page }) => {
    const n = Date.now();
    const key = `e2e_org_${n}`;
    const db = e2eDb();
    const contact = await db.contact.create({ data: { email: `preview-${n}@example.com`, firstName: "Grace", attributes: { [key]: "Perlman Labs" } } });
    const sequence = await db.sequence.create({
      data: { name: `Authoring ${n}`, steps: { create: [{ position: 0, subject: "First", body: "Body", delayAmount: 1, delayUnit: "days" }] } },
    });

    await page.goto(`/sequences/${sequence.id}`);
    await page.getByRole("button", { name: "Add step" }).click();
    await page.getByLabel("Delay", { exact: true }).fill("1");
    await page.getByLabel("Subject", { exact: true }).fill(`Hello ${n}`);
    const body = page.getByLabel("Body", { exact: true });
    await body.fill("Read https://acme.example/guide for ");
    await body.press("End");
    await page.locator(`[data-merge-tag="${key}"]`).click();
    await expect(body).toHaveValue(`Read https://acme.example/guide for {{${key}}}`);

    await page.getByRole("textbox", { name: "Preview the step as" }).fill(contact.email);
    await page.getByRole("button", { name: `Grace <${contact.email}>` }).click();
    await expect(page.locator("[data-preview-contact]")).toContainText(contact.email);
    const preview = page.frameLocator('iframe[title="Email preview"]');
    await expect(preview.locator("body")).toContainText("Read https://acme.example/guide for Perlman Labs");
    await expect(preview.getByRole("link", { name: "https://acme.example/guide" })).toHaveAttribute("href", "https://acme.example/guide");

    await page.getByRole("button", { name: "Send a test to me" }).click();
    await expect(toast(page, "Test sent to marketer@stepwise.local")).toBeVisible();

    await page.goto(`/mail?q=${encodeURIComponent(`[Test] Hello ${n}`)}`);
    await page.getByRole("link", { name: `[Test] Hello ${n}` }).click();
    await expect(page.getByTestId("message-text")).toContainText("Read https://acme.example/guide for Perlman Labs");
    const sent = page.frameLocator('iframe[title="Rendered message"]');
    await expect(sent.getByRole("link", { name: "https://acme.example/guide" })).toHaveAttribute("href", "https://acme.example/guide");
    expect(await db.caughtMessage.count({ where: { subject: `[Test] Hello ${n}`, toAddress: "marketer@stepwise.local" } })).toBe(1);
  });
});
