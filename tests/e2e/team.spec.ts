import { e2eDb, expect, test, useRole } from "./support/fixtures";

test.describe("the team", () => {
  useRole("admin");

  test("an admin invites a marketer, who joins in another browser and signs in; the admin sees what they did in the audit log", async ({ page, browser }) => {
    // Two browsers and a dozen page loads: a long journey.
    test.slow();
    const email = `invited-${Date.now()}@example.com`;
    const password = "an e2e passphrase nobody uses";
    const sequenceName = `Made by the invitee ${Date.now()}`;

    await page.goto("/settings");
    const invite = page.getByRole("form", { name: "Invite a team member" });
    await invite.getByLabel("Invite by email").fill(email);
    await invite.getByLabel("Role").selectOption("marketer");
    await invite.getByRole("button", { name: "Send invitation" }).click();
    await expect(page.getByRole("table", { name: "Team members" }).getByText(email)).toBeVisible();

    // The embedded transport keeps the invitation on the Sent mail page.
    await page.goto("/mail");
    await expect(page.getByRole("table", { name: "Sent mail" }).getByRole("row").filter({ hasText: email })).toContainText("You are invited");
    const message = await e2eDb().caughtMessage.findFirstOrThrow({ where: { toAddress: email } });
    const link = /https?:\/\/\S+\/invite\/\S+/.exec(message.text)![0];

    const invitee = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const other = await invitee.newPage();
    await other.goto(new URL(link).pathname);
    await other.getByLabel("Your name").fill("Invited Marketer");
    await other.getByLabel("New password").fill(password);
    await other.getByRole("button", { name: "Join the team" }).click();
    await expect(other).toHaveURL(/\/login\?invite=accepted/);
    await other.getByLabel("Email").fill(email);
    await other.getByLabel("Password").fill(password);
    await other.getByRole("button", { name: "Sign in" }).click();
    await expect(other).toHaveURL(/\/sequences/);

    // The same link a second time lets nobody in.
    const again = await invitee.newPage();
    await again.goto(new URL(link).pathname);
    await expect(again.getByText("This invitation link is not valid any more")).toBeVisible();

    await other.getByRole("link", { name: "New sequence" }).click();
    await other.getByLabel("Name", { exact: true }).fill(sequenceName);
    await other.getByRole("button", { name: "Create sequence" }).click();
    await expect(other.getByRole("heading", { level: 1, name: sequenceName })).toBeVisible();
    await invitee.close();

    await page.goto("/settings/audit");
    const rows = page.getByRole("table", { name: "Audit log" }).getByRole("row");
    await expect(rows.filter({ hasText: sequenceName })).toContainText(email);
    await expect(rows.filter({ hasText: sequenceName })).toContainText("Created a sequence");
    await expect(rows.filter({ hasText: "Accepted an invitation" }).filter({ hasText: email })).toHaveCount(1);
    await expect(rows.filter({ hasText: "Invited a user" }).filter({ hasText: email })).toHaveCount(1);
  });
});
