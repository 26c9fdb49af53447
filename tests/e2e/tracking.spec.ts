import http from "node:http";
import type { AddressInfo } from "node:net";
import { SCANNER_WINDOW_MS } from "../../lib/tracking/classify";
import { e2eDb, expect, test, useRole } from "./support/fixtures";

useRole("marketer");

/**
 * The link's destination: a stub page this test serves on loopback, so that
 * following the tracked link never leaves the machine.
 */
let landing: http.Server;
let landingUrl: string;
test.beforeAll(async () => {
  landing = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end("<!doctype html><title>Pricing</title><h1>Acme pricing</h1>");
  });
  await new Promise<void>((resolve) => landing.listen(0, "127.0.0.1", resolve));
  landingUrl = `http://127.0.0.1:${(landing.address() as AddressInfo).port}/pricing`;
});
test.afterAll(async () => {
  await new Promise((resolve) => landing.close(resolve));
});

test("a click on a tracked link in a sent message leads to its page, shows on the contact's timeline and raises the step's click rate", async ({ page }) => {
  // Enrolling, delivery, the scanner window and four page loads: more than the default minute on a loaded machine.
  test.slow();
  const db = e2eDb();
  const stamp = Date.now();
  const email = `clicker-${stamp}@example.com`;
  const contact = await db.contact.create({ data: { email, firstName: "Clicker" } });
  const subject = `Our plans, {{firstName}} ${stamp}`;
  const sequence = await db.sequence.create({
    data: {
      name: `Tracked pricing ${stamp}`,
      status: "active",
      // A bare URL in the plain-text body becomes a link in the HTML part, which tracking rewrites to /r/<token>.
      steps: { create: [{ position: 0, delayAmount: 0, delayUnit: "minutes", subject, body: `Hi {{firstName}},\n\nSee the plans: ${landingUrl}\n\nThe Acme team` }] },
    },
  });
  const sentSubject = `Our plans, Clicker ${stamp}`;
  const stepRow = () => page.getByRole("table", { name: "Engagement per step" }).locator('tr[data-step-number="1"]');
  const clickedCell = () => stepRow().getByRole("cell").nth(4);

  await page.goto(`/sequences/${sequence.id}`);
  await page.getByLabel("Enroll a contact by email").fill(email);
  await page.getByRole("button", { name: "Enroll" }).click();
  await expect(page.locator("[data-toast]").filter({ hasText: `${email} enrolled.` })).toBeVisible();

  // The local executor delivers the step to the mail catcher; it shows on the Sent mail page.
  await expect(async () => {
    await page.goto(`/mail?q=${encodeURIComponent(email)}`);
    await expect(page.getByRole("link", { name: sentSubject })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await page.getByRole("link", { name: sentSubject }).click();
  await expect(page.getByRole("heading", { level: 1, name: sentSubject })).toBeVisible();

  // The admin view shows the link but makes it inert (a click there would
  // count as the contact's): the reader clicks it in their inbox. The mail
  // catcher is that inbox here: its copy links through /r/<token>.
  const preview = page.frameLocator('iframe[title="Rendered message"]');
  await expect(preview.locator('a[aria-disabled="true"]').filter({ hasText: landingUrl })).toHaveAttribute("title", /Tracked links do not work in the admin view/);
  const delivered = await db.caughtMessage.findFirstOrThrow({ where: { toAddress: email }, select: { html: true } });
  expect(delivered.html).not.toContain(`href="${landingUrl}"`);
  const tracked = /href="(http:\/\/localhost:\d+\/r\/[^"]+)"/.exec(delivered.html)?.[1];
  expect(tracked).toBeDefined();

  // Delivered and sent, not clicked yet.
  await page.goto(`/sequences/${sequence.id}`);
  await expect(stepRow().getByRole("cell").nth(1)).toHaveText("1");
  await expect(clickedCell()).toHaveText("0 (0%)");

  // A click within SCANNER_WINDOW_MS of sending is what link-scanning mail
  // gateways do, and is recorded as machine traffic, not as this person's
  // click. A person reads first: wait (in real time, as the app's clock is
  // real time here) until the window since the recorded send time has passed.
  const send = await db.stepSend.findFirstOrThrow({ where: { enrollment: { contactId: contact.id } }, select: { sentAt: true } });
  const readyAt = send.sentAt!.getTime() + SCANNER_WINDOW_MS + 1_000;
  if (Date.now() < readyAt) await page.waitForTimeout(readyAt - Date.now());

  // The reader's browser follows the link: the app redirects to the stored destination.
  await page.goto(tracked!);
  await expect(page).toHaveURL(landingUrl);
  await expect(page.getByRole("heading", { name: "Acme pricing" })).toBeVisible();

  // The contact's timeline shows the click (a person's, not marked machine) and links to the message.
  await page.goto(`/contacts/${contact.id}`);
  const clicks = page.getByRole("list", { name: "Opens and clicks" }).locator('li[data-engagement="click"]');
  await expect(clicks).toHaveCount(1);
  await expect(clicks.first()).toHaveAttribute("data-machine", "false");
  // The step is named as written (its subject template) with its sequence.
  await expect(clicks.first()).toContainText(`${subject} (Tracked pricing ${stamp})`);
  await expect(clicks.first()).toContainText(landingUrl);
  await expect(clicks.first().getByRole("link", { name: "View message" })).toHaveAttribute("href", /^\/mail\//);

  // The step's click rate rose from 0% to 100% of the one delivered message.
  await page.goto(`/sequences/${sequence.id}`);
  await expect(clickedCell()).toHaveText("1 (100%)");
});
