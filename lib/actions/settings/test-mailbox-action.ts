"use server";

import { z } from "zod";
import { authedAction } from "@/lib/actions/safe-action";
import { testMailboxConnection } from "@/lib/mailbox/settings";

/** Connects with the stored settings: the folders and message count, or what went wrong. */
export const testMailboxAction = authedAction({ role: "admin", schema: z.object({}) }, async (_input, { db }) => testMailboxConnection(db));
