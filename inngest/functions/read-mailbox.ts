import { getDb } from "@/lib/db/client";
import { idleWindowMs, readMailbox } from "@/lib/mailbox/read-mailbox";
import { inngest } from "../client";
import { mailboxReadRequested } from "../events";

/**
 * Reads one mailbox's new messages for replies and bounces
 * (docs/mailbox.md), then, when the server offers IDLE, waits on the
 * connection for new mail (read as it arrives) for up to
 * MAILBOX_IDLE_SECONDS (45 s), so a run ends before the next minute's and
 * a reply is read within seconds. Without IDLE the cron is the poll. One
 * reader per mailbox: concurrency 1 keyed on the mailbox id here, and a
 * lease in the mailbox row for anything else that reads it.
 */
export const readMailboxFn = inngest.createFunction(
  {
    id: "read-mailbox",
    name: "Read replies and bounces from a mailbox",
    triggers: [mailboxReadRequested],
    concurrency: { key: "event.data.mailboxId", limit: 1 },
  },
  async ({ event, step }) => step.run("read-new-messages", () => readMailbox(getDb(), { mailboxId: event.data.mailboxId, idleMs: idleWindowMs() })),
);
