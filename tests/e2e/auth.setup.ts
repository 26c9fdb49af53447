import { test as setup } from "@playwright/test";
import { signIn, storageStateFor, type UserRole } from "./support/fixtures";

for (const role of ["admin", "marketer", "viewer"] as UserRole[]) {
  setup(`sign in as ${role}`, async ({ page }) => {
    await signIn(page, role);
    await page.context().storageState({ path: storageStateFor(role) });
  });
}
