import { DAY, advanceExecutorClock, e2eDb, expect, test, useRole } from "./support/fixtures";

useRole("marketer");

test("enrolling a demo contact delivers step 1 to Sent mail; removing them stops the rest", async ({ page }) => {
  const db = e2eDb();
  const email = `journey-${Date.now()}@example.com`;
  await db.contact.create({ data: { email, firstName: "Journey" } });

  // Searched for, as a user would: the other specs' sequences push it past the list's first page.
  await page.goto("/sequences?q=Trial%20onboarding");
  await page.getByRole("link", { name: "Trial onboarding" }).click();
  await page.getByLabel("Enroll a contact by email").fill(email);
  await page.getByRole("button", { name: "Enroll" }).click();
  await expect(page.locator("[data-toast]").filter({ hasText: `${email} enrolled.` })).toBeVisible();

  // Step 1 has no delay: it reaches the mail catcher within moments.
  await expect(async () => {
    await page.goto(`/mail?q=${encodeURIComponent(email)}`);
    await expect(page.getByRole("link", { name: "Welcome to Acme, Journey" })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await page.getByRole("link", { name: "Welcome to Acme, Journey" }).click();
  await expect(page.locator('[data-header="List-Unsubscribe-Post"]')).toHaveText("List-Unsubscribe=One-Click");
  await expect(page.getByTestId("message-text")).toContainText("/unsubscribe/");

  // Remove them from the sequence (with confirmation).
  const sequence = await db.sequence.findFirstOrThrow({ where: { name: "Trial onboarding" } });
  await page.goto(`/sequences/${sequence.id}`);
  const row = page.getByRole("row").filter({ hasText: email });
  await row.getByRole("button", { name: "Remove from sequence" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Remove" }).click();
  await expect(row.getByText("Removed", { exact: true })).toBeVisible();

  // Days pass: nothing more arrives.
  await advanceExecutorClock(8 * DAY);
  await page.waitForTimeout(1000);
  expect(await db.caughtMessage.count({ where: { toAddress: email } })).toBe(1);
  const enrollment = await db.enrollment.findFirstOrThrow({ where: { contact: { email } } });
  expect(enrollment).toMatchObject({ status: "removed", exitReason: "removed" });
});
