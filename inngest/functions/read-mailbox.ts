import { getDb } from "@/lib/db/client";
import { readMailbox } from "@/lib/mailbox/read-mailbox";
import { inngest } from "../client";

/**
 * Every minute: read the connected mailbox's new messages for replies and
 * bounces (docs/mailbox.md). One reader per mailbox: concurrency 1 here,
 * and a lease in the mailbox row for anything else that reads it.
 */
export const readMailboxFn = inngest.createFunction(
  { id: "read-mailbox", name: "Read replies and bounces from the mailbox", triggers: [{ cron: "* * * * *" }], concurrency: { limit: 1 } },
  async ({ step }) => step.run("read-new-messages", () => readMailbox(getDb())),
);
