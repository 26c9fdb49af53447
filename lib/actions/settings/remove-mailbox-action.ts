"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction } from "@/lib/actions/safe-action";
import { removeMailbox } from "@/lib/mailbox/settings";

/** Disconnects the mailbox: its settings and stored secret are deleted. */
export const removeMailboxAction = authedAction({ role: "admin", schema: z.object({}) }, async (_input, { db }) => {
  const result = await removeMailbox(db);
  revalidatePath("/settings");
  return result;
});
