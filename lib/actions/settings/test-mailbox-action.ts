"use server";

import { authedAction } from "@/lib/actions/safe-action";
import { testMailboxConnection } from "@/lib/mailbox/settings";
import { ZMailboxTarget } from "@/lib/validations/mailbox";

/** Connects with a sender's stored mailbox settings: the folders and message count, or what went wrong. */
export const testMailboxAction = authedAction({ role: "admin", schema: ZMailboxTarget }, async (input, { db }) => testMailboxConnection(db, input));
