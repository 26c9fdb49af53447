import { randomUUID } from "node:crypto";
import { expect, test, useRole } from "./support/fixtures";

test.describe("the app shell", () => {
  useRole("viewer");

  test("at 390 px every section of the main navigation is on screen, Settings included", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/sequences");
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const label of ["Sequences", "Contacts", "Sent mail", "Activity", "Settings"]) {
      const link = nav.getByRole("link", { name: label });
      await expect(link).toBeInViewport({ ratio: 1 });
    }
    // Nothing hidden in a sideways-scrolling strip.
    const overflow = await nav.getByRole("list").evaluate((list) => list.scrollWidth - list.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await nav.getByRole("link", { name: "Settings" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  });

  for (const section of [
    { path: "/sequences", back: "Back to sequences" },
    { path: "/contacts", back: "Back to contacts" },
    { path: "/mail", back: "Back to sent mail" },
  ]) {
    test(`an unknown id under ${section.path} answers 404 with a page in the shell that links back`, async ({ page }) => {
      const response = await page.goto(`${section.path}/${randomUUID()}`);
      expect(response?.status()).toBe(404);
      await expect(page.getByRole("heading", { level: 1, name: "Not found" })).toBeVisible();
      // Inside the app: the main navigation is there.
      await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
      await page.getByRole("link", { name: section.back }).click();
      await expect(page).toHaveURL(new RegExp(`${section.path}$`));
    });
  }

  test("a malformed id is a 404 too, not an error page", async ({ page }) => {
    const response = await page.goto("/sequences/not-a-uuid");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Not found" })).toBeVisible();
  });

  test("the favicon is served, signed in or not", async ({ page, playwright, baseURL }) => {
    const signedIn = await page.request.get("/favicon.ico");
    expect(signedIn.status()).toBe(200);
    expect(signedIn.headers()["content-type"]).toMatch(/image\//);
    const anonymous = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    const response = await anonymous.get("/favicon.ico", { maxRedirects: 0 });
    expect(response.status()).toBe(200);
    await anonymous.dispose();
  });
});
