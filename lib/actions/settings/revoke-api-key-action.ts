"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { inAuditedTransaction } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { revokeApiKey } from "@/lib/api-keys/manage";
import { ZRevokeApiKeyInput } from "@/lib/validations/api-key";

/** Revokes an API key: requests with it are refused from now on. */
export const revokeApiKeyAction = authedAction({ role: "admin", schema: ZRevokeApiKeyInput }, async ({ id }, { db, user }) => {
  await inAuditedTransaction(db, await userActor(user), "api_key.revoke", { type: "api_key", id }, (tx) => revokeApiKey(tx, { id }));
  revalidatePath("/settings");
  return { revoked: true };
});
