"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction } from "@/lib/actions/safe-action";
import { inAuditedTransaction } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { createApiKey } from "@/lib/api-keys/manage";
import { ZApiKeyName } from "@/lib/validations/api-key";

const ZInput = z.object({ name: ZApiKeyName });

/** Creates an API key; the plaintext key is returned this once and never stored. */
export const createApiKeyAction = authedAction({ role: "admin", schema: ZInput }, async ({ name }, { db, user }) => {
  const created = (r: { apiKey: { id: string } }) => ({ type: "api_key" as const, id: r.apiKey.id });
  const { key, apiKey } = await inAuditedTransaction(db, await userActor(user), "api_key.create", created, (tx) => createApiKey(tx, { name, createdById: user.id }));
  revalidatePath("/settings");
  return { key, name: apiKey.name };
});
