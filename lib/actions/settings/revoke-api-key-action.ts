"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { revokeApiKey } from "@/lib/api-keys/manage";
import { ZRevokeApiKeyInput } from "@/lib/validations/api-key";

/** Revokes an API key: requests with it are refused from now on. */
export const revokeApiKeyAction = authedAction({ role: "admin", schema: ZRevokeApiKeyInput }, async ({ id }, { db }) => {
  await revokeApiKey(db, { id });
  revalidatePath("/settings");
  return { revoked: true };
});
