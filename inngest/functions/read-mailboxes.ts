import { now } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { publishEvents } from "@/lib/events/publish";
import { mailboxesToRead } from "@/lib/mailbox/read-mailbox";
import { inngest } from "../client";
import { mailboxReadRequested } from "../events";

/**
 * Every minute: ask for a read of every connected mailbox (one per sender
 * identity), each its own run, so that a mailbox that is slow or failing
 * never holds up another. The event id names the mailbox and the minute:
 * a retried fan-out asks once.
 */
export const readMailboxesFn = inngest.createFunction(
  { id: "read-mailboxes", name: "Ask for a read of every mailbox", triggers: [{ cron: "* * * * *" }], concurrency: { limit: 1 } },
  async ({ step }) =>
    step.run("request-reads", async () => {
      const ids = await mailboxesToRead(getDb());
      const minute = Math.floor(now().getTime() / 60_000);
      const sent = await publishEvents(ids.map((mailboxId) => ({ name: mailboxReadRequested.name, id: `mailbox-read:${mailboxId}:${minute}`, data: { mailboxId } })));
      return { mailboxes: ids.length, sent };
    }),
);
