import type { Page } from "@playwright/test";
import { e2eDb, expect, test, useRole } from "./support/fixtures";

const toast = (page: Page, text: string | RegExp) => page.locator("[data-toast]").filter({ hasText: text });

/** "Mon 9 Mar 10:30 Asia/Kathmandu" -> minutes since midnight. */
function minuteOfDay(text: string): number {
  const [, hours, minutes] = /(\d{2}):(\d{2}) Asia\/Kathmandu/.exec(text) ?? [];
  return Number(hours) * 60 + Number(minutes);
}

test.describe("sending schedules", () => {
  useRole("marketer");

  test("set a schedule in the builder, then see a contact's planned send times", async ({ page }) => {
    test.setTimeout(180_000); // three page loads and a save on a shared, loaded machine
    const stamp = Date.now();
    const db = e2eDb();
    // Paused, so that no run sends while the test looks at plans.
    const sequence = await db.sequence.create({
      data: {
        name: `Scheduled ${stamp}`,
        status: "paused",
        steps: {
          create: [
            { position: 0, subject: "Hello", body: "Hi", delayAmount: 0, delayUnit: "minutes" },
            { position: 1, subject: "Follow-up", body: "Again", delayAmount: 1, delayUnit: "business_days" },
          ],
        },
      },
    });
    const contact = await db.contact.create({ data: { email: `kathmandu-${stamp}@example.com`, firstName: "Asha", timezone: "Asia/Kathmandu" } });

    await page.goto(`/sequences/${sequence.id}`);
    const form = page.getByRole("form", { name: "Sending schedule" });
    await expect(form.getByTestId("schedule-summary")).toHaveText("Sends at any time of day, every day.");
    await form.getByRole("switch", { name: "Send at any time" }).click();
    await form.getByLabel("Window opens").fill("10:00");

    // A window that ends before it starts is refused on the field, and nothing is saved.
    await form.getByLabel("Window closes").fill("08:00");
    await form.getByRole("button", { name: "Save schedule" }).click();
    await expect(form.locator("#schedule-window-end-error")).toContainText("The window must end after it starts");
    expect((await db.sequence.findUniqueOrThrow({ where: { id: sequence.id } })).schedule).toBeNull();

    await form.getByLabel("Window closes").fill("16:00");
    await form.getByLabel("Holidays").selectOption({ label: "Germany" });
    await form.getByLabel("Sequence time zone").fill("Europe/Berlin");
    await expect(form.getByTestId("schedule-summary")).toHaveText(
      "Sends Mon–Fri, 10:00–16:00 in each contact's time zone (Europe/Berlin when unknown), except public holidays in Germany.",
    );
    await form.getByRole("button", { name: "Save schedule" }).click();
    await expect(toast(page, "Schedule saved")).toBeVisible();
    await expect
      .poll(async () => (await db.sequence.findUniqueOrThrow({ where: { id: sequence.id } })).schedule)
      .toEqual({ days: [1, 2, 3, 4, 5], window: { start: "10:00", end: "16:00" }, holidayCountry: "DE" });

    // Preview as contact: each step in the contact's zone, inside the window, and in the viewer's zone.
    const preview = page.getByRole("form", { name: "Preview as contact" });
    await preview.getByLabel("Contact").selectOption({ label: `${contact.email} (Asia/Kathmandu)` });
    await preview.getByRole("button", { name: "Preview" }).click();
    const planned = page.getByTestId("planned-step");
    await expect(planned).toHaveCount(2);
    for (const time of await page.getByTestId("contact-time").allTextContents()) {
      expect(minuteOfDay(time)).toBeGreaterThanOrEqual(10 * 60);
      expect(minuteOfDay(time)).toBeLessThanOrEqual(16 * 60);
      expect(time).not.toMatch(/^(Sat|Sun)/);
    }
    await expect(planned.first().getByTestId("viewer-time")).toContainText("your time");

    // The contact's page shows the same plan for a live enrollment.
    await db.enrollment.create({
      data: { contactId: contact.id, sequenceId: sequence.id, source: "manual", status: "active", nextStepDueAt: new Date(Date.now() + 30 * 86_400_000) },
    });
    await page.goto(`/contacts/${contact.id}`);
    const section = page.getByRole("region", { name: `Planned sends in ${sequence.name}` });
    await expect(section.getByTestId("planned-step")).toHaveCount(2);
    await expect(section).toContainText("Planned in the contact's zone, Asia/Kathmandu.");
    await expect(section.getByTestId("contact-time").first()).toContainText("Asia/Kathmandu");
  });
  test("set a daily cap, then Resume says how many contacts are due and over how long", async ({ page }) => {
    test.setTimeout(180_000);
    const stamp = Date.now();
    const db = e2eDb();
    const sequence = await db.sequence.create({
      data: { name: `Capped ${stamp}`, status: "paused", steps: { create: [{ position: 0, subject: "Hello", body: "Hi", delayAmount: 0, delayUnit: "minutes" }] } },
    });
    for (let i = 0; i < 25; i++) {
      const contact = await db.contact.create({ data: { email: `capped-${stamp}-${i}@example.com` } });
      await db.enrollment.create({ data: { contactId: contact.id, sequenceId: sequence.id, source: "manual", status: "active", nextStepDueAt: new Date(Date.now() - 86_400_000) } });
    }

    await page.goto(`/sequences/${sequence.id}`);
    const form = page.getByRole("form", { name: "Sending schedule" });
    // Refused on the field by the schema the action shares, and nothing is saved.
    await form.getByLabel("Daily cap").fill("0");
    await form.getByRole("button", { name: "Save schedule" }).click();
    await expect(form.locator("#schedule-daily-cap-error")).toContainText("At least 1 a day");
    expect((await db.sequence.findUniqueOrThrow({ where: { id: sequence.id } })).dailyCap).toBeNull();

    await form.getByLabel("Daily cap").fill("10");
    await expect(form.getByTestId("schedule-summary")).toContainText("At most 10 a day.");
    await form.getByRole("button", { name: "Save schedule" }).click();
    await expect(toast(page, "Schedule saved")).toBeVisible();
    await expect.poll(async () => (await db.sequence.findUniqueOrThrow({ where: { id: sequence.id } })).dailyCap).toBe(10);

    await page.reload();
    await page.getByRole("button", { name: "Resume", exact: true }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog.getByTestId("resume-estimate")).toContainText("25 contacts are due: with a cap of 10 a day they go out over 3 days (10 today, then up to 10 a day)");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect((await db.sequence.findUniqueOrThrow({ where: { id: sequence.id } })).status).toBe("paused");
  });
});
