import { e2eDb, expect, test, useRole } from "./support/fixtures";

useRole("marketer");

test("editing a live sequence: the edit is a draft, the preview says where the contact goes, publishing moves them and their timeline says so", async ({ page }) => {
  // Eight page loads, a run's first send and a publish: on the shared, loaded machine the
  // default 60 s ran out just after the click into the preview (its loading state was on screen for half a second).
  test.setTimeout(180_000);
  const db = e2eDb();
  const stamp = Date.now();
  const email = `versions-${stamp}@example.com`;
  const contact = await db.contact.create({ data: { email, firstName: "Vera" } });
  const sequence = await db.sequence.create({
    data: {
      name: `Live edits ${stamp}`,
      status: "active",
      steps: {
        create: [
          { position: 0, subject: "One", body: "First", delayAmount: 0, delayUnit: "minutes" },
          { position: 1, subject: "Two", body: "Second", delayAmount: 1, delayUnit: "days" },
          { position: 2, subject: "Three", body: "Third", delayAmount: 2, delayUnit: "days" },
        ],
      },
    },
    include: { steps: { orderBy: { position: "asc" } } },
  });

  await page.goto(`/sequences/${sequence.id}`);
  await page.getByLabel("Enroll a contact by email").fill(email);
  await page.getByRole("button", { name: "Enroll" }).click();
  await expect(page.locator("[data-toast]").filter({ hasText: `${email} enrolled.` })).toBeVisible();
  // Step 1 goes at once; the run then waits on step 2.
  await expect(async () => {
    const enrollment = await db.enrollment.findFirstOrThrow({ where: { contactId: contact.id, sequenceId: sequence.id } });
    expect(enrollment.waitingStepId).toBe(sequence.steps[1].id);
  }).toPass({ timeout: 30_000 });

  await page.reload();
  await expect(page.locator("[data-live-edit-note]")).toContainText("1 contact is in this sequence");
  const stepTwo = page.locator(`[data-step-id="${sequence.steps[1].id}"]`);
  await stepTwo.getByRole("button", { name: "Delete step" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();

  // A draft: the banner lists the difference; the live step is untouched.
  const banner = page.locator("[data-draft-banner]");
  await expect(banner).toContainText('Deleted step 2: "Two"');
  expect((await db.sequenceStep.findUniqueOrThrow({ where: { id: sequence.steps[1].id } })).deletedAt).toBeNull();

  await banner.getByRole("link", { name: "Preview and publish" }).click();
  await expect(page.getByRole("heading", { name: "Preview and publish" })).toBeVisible();
  await expect(page.locator('[data-group="moved_from_deleted"]')).toContainText("1 waiting on deleted step 2 → step 2, due");
  const row = page.getByRole("row").filter({ hasText: email });
  await expect(row).toContainText("Moved on from a deleted step");
  await expect(row).toContainText("Step 2: Three");

  await page.getByRole("button", { name: "Publish" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Publish" }).click();
  await expect(page.locator("[data-toast]").filter({ hasText: "Version 2 published" })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/sequences/${sequence.id}$`));
  await expect(page.locator('[data-version="2"]')).toContainText("Deleted step 2");
  await expect(page.locator("[data-draft-banner]")).toHaveCount(0);

  await page.goto(`/contacts/${contact.id}`);
  await expect(page.getByText(/Moved on to Step 2 .Three.: the step it waited on was deleted \(version 2\)/)).toBeVisible();
});
