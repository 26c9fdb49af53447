"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction } from "@/lib/actions/safe-action";
import { createApiKey } from "@/lib/api-keys/manage";
import { ZApiKeyName } from "@/lib/validations/api-key";

const ZInput = z.object({ name: ZApiKeyName });

/** Creates an API key; the plaintext key is returned this once and never stored. */
export const createApiKeyAction = authedAction({ role: "admin", schema: ZInput }, async ({ name }, { db, user }) => {
  const { key, apiKey } = await createApiKey(db, { name, createdById: user.id });
  revalidatePath("/settings");
  return { key, name: apiKey.name };
});
