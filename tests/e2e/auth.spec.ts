import { hashPassword } from "../../lib/auth/password";
import { e2eDb, expect, test, useRole } from "./support/fixtures";

test.describe("signing in and out", () => {
  test("a marketer signs in, sees the sequences list, and signs out everywhere", async ({ page, browser }) => {
    // A user of its own: signing out ends every session of that user, and the
    // demo marketer's saved session is used by the other specs.
    const email = `signout-${Date.now()}@example.com`;
    await e2eDb().user.create({ data: { email, name: "Sign Out", role: "marketer", passwordHash: await hashPassword("sign-out-password") } });
    const signInAs = async (p: typeof page) => {
      await p.goto("/login");
      await p.getByLabel("Email").fill(email);
      await p.getByLabel("Password").fill("sign-out-password");
      await p.getByRole("button", { name: "Sign in" }).click();
      await expect(p).toHaveURL(/\/sequences/);
    };
    await signInAs(page);
    await expect(page.getByRole("heading", { level: 1, name: "Sequences" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Sequences" }).getByRole("link", { name: "Trial onboarding" })).toBeVisible();
    await expect(page.getByText(email)).toBeVisible();
    const otherDevice = await browser.newContext();
    const otherPage = await otherDevice.newPage();
    await signInAs(otherPage);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto("/sequences");
    await expect(page).toHaveURL(/\/login/);
    // The session in the other browser ended too, even with its cookie intact.
    await otherPage.goto("/contacts");
    await expect(otherPage).toHaveURL(/\/login/);
    await otherDevice.close();
  });

  test("a wrong password is refused with a message", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill("marketer@stepwise.local");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("[data-form-error]")).toHaveText("Email or password is incorrect.");
    await expect(page).toHaveURL(/\/login/);
  });
});

test.describe("signed out", () => {
  test("admin pages redirect to the login page", async ({ page }) => {
    for (const path of ["/sequences", "/contacts", "/activity", "/settings", "/mail"]) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/login/);
    }
  });

  test("a server action replayed without a session is refused and changes nothing", async ({ browser }) => {
    const db = e2eDb();
    const sequence = await db.sequence.findFirstOrThrow({ where: { name: "Trial onboarding" } });
    const contact = await db.contact.create({ data: { email: `replay-${Date.now()}@example.com`, firstName: "Replay" } });

    // Capture a real "enroll" server action request as a signed-in marketer...
    const signedIn = await browser.newContext({ storageState: ".reports/auth/marketer.json" });
    const page = await signedIn.newPage();
    await page.goto(`/sequences/${sequence.id}`);
    const actionRequest = page.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]);
    await page.getByLabel("Enroll a contact by email").fill("nobody-here@example.com");
    await page.getByRole("button", { name: "Enroll" }).click();
    const captured = await actionRequest;
    await signedIn.close();

    // ...and replay it, aimed at a real contact, with no cookies at all.
    const anonymous = await browser.newContext();
    const body = (captured.postData() ?? "").replace("nobody-here@example.com", contact.email);
    const response = await anonymous.request.post(captured.url(), {
      headers: { "next-action": captured.headers()["next-action"], "content-type": captured.headers()["content-type"] ?? "text/plain;charset=UTF-8" },
      data: body,
      maxRedirects: 0,
    });
    const text = await response.text();
    expect(response.status() >= 300 || /unauthenticated|Please sign in/.test(text)).toBe(true);
    expect(await db.enrollment.count({ where: { contactId: contact.id } })).toBe(0);
    await anonymous.close();
  });
});

test.describe("as a viewer", () => {
  useRole("viewer");

  test("a viewer can read a sequence but gets no enrollment controls", async ({ page }) => {
    await page.goto("/sequences");
    await page.getByRole("link", { name: "Trial onboarding" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Trial onboarding" })).toBeVisible();
    await expect(page.getByLabel("Enroll a contact by email")).toHaveCount(0);
  });
});
