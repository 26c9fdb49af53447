import type { Page } from "@playwright/test";
import { e2eDb, expect, test, useRole } from "./support/fixtures";

const toast = (page: Page, text: string | RegExp) => page.locator("[data-toast]").filter({ hasText: text });

test.describe("authoring a step", () => {
  useRole("marketer");
  test.setTimeout(180_000); // many page actions, three renders and two sends on a shared, loaded machine

  test("a link, a button and a merge tag from the picker in the editor, previewed as a chosen contact, sent as a test and read on the Sent mail page", async ({ page }) => {
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
    const body = page.getByRole("textbox", { name: "Body", exact: true });
    await body.click();
    await page.keyboard.type("Read ");

    // A link with its own text, from the toolbar.
    await page.getByRole("button", { name: "Link", exact: true }).click();
    await page.getByLabel("Link address").fill("acme.example/guide");
    await page.getByLabel("Link text").fill("the guide");
    await page.getByRole("button", { name: "Insert", exact: true }).click();
    await page.keyboard.type(" for ");
    // A merge tag from the picker: an inline token where the cursor was.
    await page.locator(`[data-merge-tag="${key}"]`).click();
    await expect(body.locator(`span[data-merge-tag="${key}"]`)).toHaveText(`{{${key}}}`);
    await page.keyboard.type(".");
    // A button block.
    await page.getByRole("button", { name: "Button", exact: true }).click();
    await page.getByLabel("Button address").fill("https://acme.example/book");
    await page.getByLabel("Button label").fill("Book a call");
    await page.keyboard.press("Enter");
    await expect(body.locator("a[data-button]")).toHaveText("Book a call");

    await page.getByRole("textbox", { name: "Preview the step as" }).fill(contact.email);
    await page.getByRole("button", { name: `Grace <${contact.email}>` }).click();
    await expect(page.locator("[data-preview-contact]")).toContainText(contact.email);
    const preview = page.frameLocator('iframe[title="Email preview"]');
    await expect(preview.locator("body")).toContainText("Read the guide for Perlman Labs.");
    await expect(preview.getByRole("link", { name: "the guide" })).toHaveAttribute("href", "https://acme.example/guide");
    await expect(preview.getByRole("link", { name: "Book a call" })).toHaveAttribute("href", "https://acme.example/book");

    await page.getByRole("button", { name: "Send a test to me" }).click();
    await expect(toast(page, "Test sent to marketer@stepwise.local")).toBeVisible();

    // The step can be kept as a template.
    await page.getByRole("button", { name: "Save as template" }).click();
    await page.getByLabel("Template name").fill(`Guide ${n}`);
    await page.getByRole("button", { name: "Save template" }).click();
    await expect(toast(page, `Template "Guide ${n}" saved`)).toBeVisible();

    await page.getByRole("button", { name: "Save step" }).click();
    await expect(toast(page, "Step added")).toBeVisible();

    await page.goto(`/mail?q=${encodeURIComponent(`[Test] Hello ${n}`)}`);
    await page.getByRole("link", { name: `[Test] Hello ${n}` }).click();
    await expect(page.getByTestId("message-text")).toContainText("Read the guide (https://acme.example/guide) for Perlman Labs.");
    await expect(page.getByTestId("message-text")).toContainText("Book a call (https://acme.example/book)");
    const sent = page.frameLocator('iframe[title="Rendered message"]');
    await expect(sent.locator("body")).toContainText("Read the guide for Perlman Labs.");
    await expect(sent.getByRole("link", { name: "the guide" })).toHaveAttribute("href", "https://acme.example/guide");
    await expect(sent.getByRole("link", { name: "Book a call" })).toHaveAttribute("href", "https://acme.example/book");
    expect(await db.caughtMessage.count({ where: { subject: `[Test] Hello ${n}`, toAddress: "marketer@stepwise.local" } })).toBe(1);
    expect(await db.stepTemplate.count({ where: { name: `Guide ${n}`, subject: `Hello ${n}` } })).toBe(1);
  });

  test("a new step started from a template gets its subject and body", async ({ page }) => {
    const n = Date.now();
    const db = e2eDb();
    const body = JSON.stringify({
      type: "doc",
      content: [
        { type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: `Welcome aboard ${n}` }] },
        { type: "paragraph", content: [{ type: "text", text: "Hi " }, { type: "mergeTag", attrs: { key: "firstName", fallback: "there" } }, { type: "text", text: ", glad you are here." }] },
      ],
    });
    const template = await db.stepTemplate.create({ data: { name: `Onboarding ${n}`, subject: `Welcome ${n}`, body } });
    const sequence = await db.sequence.create({ data: { name: `From template ${n}`, steps: { create: [{ position: 0, subject: "First", body: "Body", delayAmount: 1, delayUnit: "days" }] } } });

    await page.goto(`/sequences/${sequence.id}`);
    await page.getByRole("button", { name: "Add step" }).click();
    await page.getByLabel("Start from template").selectOption({ label: template.name });
    await page.getByRole("button", { name: "Use template" }).click();
    await expect(page.getByLabel("Subject", { exact: true })).toHaveValue(`Welcome ${n}`);
    const editor = page.getByRole("textbox", { name: "Body", exact: true });
    await expect(editor.getByRole("heading", { level: 2 })).toHaveText(`Welcome aboard ${n}`);
    await expect(editor.locator('span[data-merge-tag="firstName"]')).toHaveText("{{firstName|there}}");
    await page.getByRole("button", { name: "Save step" }).click();
    await expect(toast(page, "Step added")).toBeVisible();

    const step = await db.sequenceStep.findFirstOrThrow({ where: { sequenceId: sequence.id, position: 1 } });
    expect(step.subject).toBe(`Welcome ${n}`);
    expect(JSON.parse(step.body)).toEqual(JSON.parse(body));
  });
});
