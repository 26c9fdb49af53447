import "server-only";
/**
 * Reads the connected mailbox's new messages (UIDs above the last one
 * processed) and hands each to handleMessage, oldest first.
 *
 * One reader at a time: a lease in the mailbox row, taken with a
 * conditional UPDATE (the Inngest function also has concurrency 1).
 * Exactly once, in effect: the cursor advances after each message, in the
 * same statement as its counters. A crash between handling a message and
 * advancing past it hands it over again next time, and both paths it feeds
 * are idempotent (a reply is stored once by its Message-ID, a bounced
 * contact stays bounced); a crash before handling loses nothing.
 * UIDVALIDITY changed: the folder was rebuilt and its UIDs mean nothing,
 * so the folder is read again from the start.
 */
import { now as currentTime } from "../clock";
import type { Db } from "../db/prisma";
import type { Mailbox } from "../generated/prisma/client";
import { withImap } from "./imap-client";
import { describeImapError } from "./imap-errors";
import { handleMessage, type Handled } from "./handle-message";
import { parseMessage } from "./parse-message";
import { DEFAULT_MAILBOX_ID, imapSettingsOf } from "./settings";

const LEASE_MS = 5 * 60_000;
const BATCH = 50;
/** Per run; the next run (a minute later) carries on. */
const MAX_PER_RUN = 2_000;

export type ReadOutcome =
  | { outcome: "not_configured" }
  | { outcome: "busy" }
  | { outcome: "failed"; error: string }
  | { outcome: "read"; messages: number; replies: number; bounces: number; uidValidityReset: boolean };

async function takeLease(db: Db, id: string): Promise<Mailbox | null | "busy"> {
  const at = currentTime();
  const [row] = await db.$queryRaw<{ id: string }[]>`
    UPDATE "Mailbox" SET "leaseUntil" = ${new Date(at.getTime() + LEASE_MS)}
    WHERE "id" = ${id} AND ("leaseUntil" IS NULL OR "leaseUntil" < ${at}) RETURNING "id"`;
  if (row) return db.mailbox.findUnique({ where: { id } });
  return (await db.mailbox.count({ where: { id } })) > 0 ? "busy" : null;
}

export async function readMailbox(db: Db, options: { mailboxId?: string } = {}): Promise<ReadOutcome> {
  const id = options.mailboxId ?? DEFAULT_MAILBOX_ID;
  const mailbox = await takeLease(db, id);
  if (mailbox === null) return { outcome: "not_configured" };
  if (mailbox === "busy") return { outcome: "busy" };

  const settings = imapSettingsOf(mailbox);
  let result: ReadOutcome;
  if (!settings.ok) result = { outcome: "failed", error: settings.error };
  else {
    try {
      result = await withImap(settings.settings, (session) => readNew(db, mailbox, session));
    } catch (error) {
      result = { outcome: "failed", error: describeImapError(error, mailbox) };
    }
  }
  await db.mailbox.updateMany({
    where: { id },
    data: { leaseUntil: null, lastReadAt: currentTime(), lastError: result.outcome === "failed" ? result.error.slice(0, 1000) : null },
  });
  return result;
}

type Session = Parameters<Parameters<typeof withImap>[1]>[0];

async function readNew(db: Db, mailbox: Mailbox, session: Session): Promise<ReadOutcome> {
  const state = await session.open(mailbox.folder);
  const reset = mailbox.uidValidity === null || mailbox.uidValidity !== state.uidValidity;
  // A folder never read, or renumbered: read it all. What refers to none of
  // our Message-IDs is skipped, and a reply read twice is stored once.
  let cursor = reset ? 0 : Number(mailbox.lastSeenUid);
  if (reset) {
    await db.mailbox.update({ where: { id: mailbox.id }, data: { uidValidity: state.uidValidity, lastSeenUid: cursor } });
  }

  const uids = (await session.uidsAfter(cursor)).slice(0, MAX_PER_RUN);
  const totals = { messages: 0, replies: 0, bounces: 0 };
  for (let i = 0; i < uids.length; i += BATCH) {
    for (const raw of await session.fetch(uids.slice(i, i + BATCH))) {
      const handled = await handleMessage(db, await parseMessage(raw.source));
      const counts = countsOf(handled);
      cursor = raw.uid;
      totals.messages++;
      totals.replies += counts.replies;
      totals.bounces += counts.bounces;
      await db.mailbox.update({
        where: { id: mailbox.id },
        data: {
          lastSeenUid: cursor,
          messagesRead: { increment: 1 },
          repliesMatched: { increment: counts.replies },
          bouncesMatched: { increment: counts.bounces },
          leaseUntil: new Date(currentTime().getTime() + LEASE_MS),
        },
      });
    }
  }
  return { outcome: "read", ...totals, uidValidityReset: reset && mailbox.uidValidity !== null };
}

function countsOf(handled: Handled): { replies: number; bounces: number } {
  return { replies: handled.kind === "reply" ? 1 : 0, bounces: handled.kind === "bounce" ? 1 : 0 };
}
