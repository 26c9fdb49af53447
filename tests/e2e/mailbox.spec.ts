import type { Page } from "@playwright/test";
import { e2eDb, expect, test, useRole } from "./support/fixtures";

const toast = (page: Page, text: string | RegExp) => page.locator("[data-toast]").filter({ hasText: text });

test.describe("a mailbox per sender", () => {
  useRole("admin");

  test("an admin connects one sender's mailbox, sees each sender's state, tests it and disconnects it", async ({ page }) => {
    test.slow();
    const n = Date.now();
    const db = e2eDb();
    const sales = await db.sender.create({ data: { fromName: `Sales ${n}`, fromAddress: `sales-${n}@acme.example` } });
    const support = await db.sender.create({ data: { fromName: `Support ${n}`, fromAddress: `support-${n}@acme.example` } });
    const supportLabel = `Support ${n} <support-${n}@acme.example>`;

    await page.goto("/settings");
    const list = page.getByRole("list", { name: "Mailboxes" });
    await expect(list.getByRole("listitem").filter({ hasText: `Sales ${n}` })).toContainText("No mailbox connected");

    await page.getByLabel("Mailbox of").selectOption({ label: `${supportLabel} (not connected)` });
    const form = page.getByRole("form", { name: "Mailbox settings" });
    // Port 1 on loopback: nothing listens, so the test after saving fails at once, in words.
    await form.getByLabel("IMAP server", { exact: true }).fill("127.0.0.1");
    await form.getByLabel("Port", { exact: true }).fill("1");
    await form.getByLabel("User name").fill(`support-${n}@acme.example`);
    await form.getByLabel("Password", { exact: true }).fill("app-password");
    await form.getByRole("button", { name: "Connect and test" }).click();
    await expect(toast(page, "Mailbox saved")).toBeVisible();
    await expect(page.getByRole("status", { name: "Connection test" })).toContainText("Nothing accepted a connection at 127.0.0.1:1");

    await expect(page.getByRole("definition").filter({ hasText: `support-${n}@acme.example at 127.0.0.1:1, INBOX` })).toBeVisible();
    await expect(list.getByRole("listitem").filter({ hasText: `Sales ${n}` })).toContainText("No mailbox connected");
    expect(await db.mailbox.findMany({ where: { senderId: { in: [sales.id, support.id] } }, select: { senderId: true, host: true } })).toEqual([{ senderId: support.id, host: "127.0.0.1" }]);

    await form.getByRole("button", { name: "Disconnect" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Disconnect" }).click();
    await expect(toast(page, "Mailbox disconnected")).toBeVisible();
    await expect(list.getByRole("listitem").filter({ hasText: `Support ${n}` })).toContainText("No mailbox connected");
    expect(await db.mailbox.count({ where: { senderId: support.id } })).toBe(0);
  });
});
