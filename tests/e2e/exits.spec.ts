import { signWebhook } from "../../lib/security/webhook-signature";
import { DAY, advanceExecutorClock, e2eDb, enrollThroughUi, expect, openFirstStep, test, useRole } from "./support/fixtures";

useRole("marketer");

test("a contact unsubscribes through the link in step 1 and receives nothing more", async ({ page, browser }) => {
  const email = await enrollThroughUi(page, "Unsub");
  await openFirstStep(page, email, "Unsub");
  // The admin view shows the link disabled; the contact's own copy (the mail catcher, their inbox) has the live one.
  await expect(page.getByTestId("message-text")).toContainText("link-disabled-in-admin-view");
  const caught = await e2eDb().caughtMessage.findFirstOrThrow({ where: { toAddress: email } });
  const link = /Unsubscribe: (\S+)/.exec(caught.text)?.[1];
  expect(link).toBeTruthy();

  // The contact is not signed in: a fresh browser context.
  const contactBrowser = await browser.newContext();
  const inbox = await contactBrowser.newPage();
  await inbox.goto(link!);
  await expect(inbox.getByRole("heading", { level: 1, name: "Unsubscribe" })).toBeVisible();
  await expect(inbox.getByText(email)).toHaveCount(0); // the address is masked
  const db = e2eDb();
  expect((await db.contact.findUniqueOrThrow({ where: { email } })).status).toBe("subscribed"); // opening changed nothing
  await inbox.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(inbox.getByText("is unsubscribed")).toBeVisible();
  await contactBrowser.close();

  await advanceExecutorClock(8 * DAY);
  await page.waitForTimeout(1000);
  expect(await db.caughtMessage.count({ where: { toAddress: email } })).toBe(1);
  const contact = await db.contact.findUniqueOrThrow({ where: { email }, include: { enrollments: true, consents: true } });
  expect(contact.status).toBe("unsubscribed");
  expect(contact.enrollments.map((e) => e.status)).toEqual(["opted_out"]);
  expect(contact.consents.map((c) => c.type)).toContain("unsubscribed");
});

test("a reply posted to the webhook ends the sequence; nothing more is sent", async ({ page, request }) => {
  const email = await enrollThroughUi(page, "Replier");
  await openFirstStep(page, email, "Replier");
  const messageId = (await page.locator('[data-header="Message-ID"]').textContent()) ?? "";
  expect(messageId).toMatch(/^<.+>$/);

  const body = JSON.stringify({ from: email, subject: "Re: Welcome to Acme", inReplyTo: messageId });
  const secret = process.env.WEBHOOK_SECRET ?? "e2e-webhook-secret-0123456789";
  const response = await request.post("/api/webhooks/replies", {
    headers: { "content-type": "application/json", "x-stepwise-signature": signWebhook(body, secret, { method: "POST", path: "/api/webhooks/replies" }) },
    data: body,
  });
  expect(response.status()).toBe(200);

  await advanceExecutorClock(8 * DAY);
  await page.waitForTimeout(1000);
  const db = e2eDb();
  expect(await db.caughtMessage.count({ where: { toAddress: email } })).toBe(1);
  const enrollment = await db.enrollment.findFirstOrThrow({ where: { contact: { email } } });
  expect(enrollment).toMatchObject({ status: "replied", exitReason: "replied" });
});
