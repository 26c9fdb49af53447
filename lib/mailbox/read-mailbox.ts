import "server-only";
/**
 * Reads one connected mailbox's new messages (UIDs above the last one
 * processed) and hands each to handleMessage, oldest first. Every sender's
 * mailbox is read on its own (mailboxesToRead, then readMailbox for each):
 * one that fails does not hold up the others, and a reply is matched the
 * same whichever mailbox it arrives in.
 *
 * One reader at a time per mailbox: a lease in the mailbox row, taken with
 * a conditional UPDATE (the Inngest function also has concurrency 1 per
 * mailbox id).
 * Exactly once: a batch's replies, bounces, cursor and counters are one
 * commit (handle-message.ts). A crash before it records nothing of the
 * batch and leaves the cursor before it, so the next read hands the whole
 * batch over again; a crash after it finds the cursor past it. The paths
 * it feeds stay idempotent besides (a reply is stored once by its
 * Message-ID, a bounced contact stays bounced): the same reply may also
 * arrive by webhook or in another sender's mailbox.
 * UIDVALIDITY changed: the folder was rebuilt and its UIDs mean nothing,
 * so the folder is read again from the start.
 */
import { now as currentTime } from "../clock";
import type { Db } from "../db/prisma";
import type { Mailbox } from "../generated/prisma/client";
import type { ImapSession as Session } from "./imap-client";
import { withMailboxSession } from "./oauth-refresh";
import { handleBatch } from "./handle-batch";
import type { Handled } from "./handle-message";

const LEASE_MS = 5 * 60_000;
/** Messages per FETCH, per database look-up of their Message-IDs, per cursor update. */
const BATCH = 250;
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

/** The ids of the mailboxes to read (every connected one), oldest first. */
export async function mailboxesToRead(db: Db): Promise<string[]> {
  const rows = await db.mailbox.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { id: true } });
  return rows.map((row) => row.id);
}

/**
 * How long a read waits in IDLE for new mail after reading (when the server
 * offers IDLE): MAILBOX_IDLE_SECONDS, default 45. Under the one-minute cron,
 * so a run ends before the next is due and mail that arrives meanwhile is
 * read within seconds; 0 turns it off (polling only).
 */
export function idleWindowMs(env: Record<string, string | undefined> = process.env): number {
  const seconds = Number(env.MAILBOX_IDLE_SECONDS ?? 45);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 240) * 1000 : 0;
}

/**
 * Reads the new messages; then, with `idleMs` and a server that offers IDLE,
 * waits on the same connection for new mail and reads it as it arrives,
 * until `idleMs` has passed. Without IDLE it returns after one read: the
 * cron's next run is the next poll.
 */
export async function readMailbox(db: Db, options: { mailboxId: string; idleMs?: number }): Promise<ReadOutcome> {
  const id = options.mailboxId;
  const mailbox = await takeLease(db, id);
  if (mailbox === null) return { outcome: "not_configured" };
  if (mailbox === "busy") return { outcome: "busy" };

  const session = await withMailboxSession(db, mailbox, (imap) => readAndWait(db, mailbox, imap, options.idleMs ?? 0));
  const result: ReadOutcome = session.ok ? session.value : { outcome: "failed", error: session.error };
  await db.mailbox.updateMany({
    where: { id },
    data: { leaseUntil: null, lastReadAt: currentTime(), lastError: result.outcome === "failed" ? result.error.slice(0, 1000) : null },
  });
  return result;
}

type Read = Extract<ReadOutcome, { outcome: "read" }>;

const count = (handled: Handled[], kind: Handled["kind"]) => handled.filter((h) => h.kind === kind).length;

async function readAndWait(db: Db, mailbox: Mailbox, session: Session, idleMs: number): Promise<Read> {
  // IDLE waits in real time, whatever the app's clock says.
  const until = Date.now() + idleMs;
  const total = await readNew(db, mailbox, session);
  // A backlog (a full run's worth read) is not waited on: the next run carries on at once.
  while (session.offersIdle() && Date.now() < until && total.messages < MAX_PER_RUN) {
    // Visible on the settings page: the reader is up and waiting.
    await db.mailbox.update({ where: { id: mailbox.id }, data: { lastReadAt: currentTime(), lastError: null, leaseUntil: new Date(currentTime().getTime() + LEASE_MS) } });
    if (!(await session.waitForNewMail(until - Date.now()))) break;
    const next = await readNew(db, await db.mailbox.findUniqueOrThrow({ where: { id: mailbox.id } }), session);
    total.messages += next.messages;
    total.replies += next.replies;
    total.bounces += next.bounces;
  }
  return total;
}

async function readNew(db: Db, mailbox: Mailbox, session: Session): Promise<Read> {
  const state = await session.open(mailbox.folder);
  const reset = mailbox.uidValidity === null || mailbox.uidValidity !== state.uidValidity;
  // A folder never read, or renumbered: read it all. What refers to none of
  // our Message-IDs is skipped, and a reply read twice is stored once.
  const cursor = reset ? 0 : Number(mailbox.lastSeenUid);
  if (reset) {
    await db.mailbox.update({ where: { id: mailbox.id }, data: { uidValidity: state.uidValidity, lastSeenUid: cursor } });
  }

  const uids = (await session.uidsAfter(cursor)).slice(0, MAX_PER_RUN);
  const totals = { messages: 0, replies: 0, bounces: 0 };
  // One FETCH of header blocks per batch, of its UID range (gaps are
  // expunged messages: none come back); the next batch's FETCH runs while
  // this one is handled.
  const batches = Array.from({ length: Math.ceil(uids.length / BATCH) }, (_, k) => uids.slice(k * BATCH, (k + 1) * BATCH));
  const fetchBatch = (k: number) => (k < batches.length ? session.fetchHeaders(batches[k][0], batches[k].at(-1)!) : null);
  let next = fetchBatch(0);
  for (let k = 0; k < batches.length; k++) {
    const batch = batches[k];
    const heads = await next!;
    next = fetchBatch(k + 1);
    // A failed prefetch surfaces when it is awaited, not as an unhandled rejection meanwhile.
    next?.catch(() => {});
    const handled = await handleBatch(
      db,
      heads,
      (wanted) => session.fetchSources(wanted),
      // Past the batch in the commit that records it: a crash before hands
      // the whole batch over again, and nothing of it was recorded.
      async (tx, handled) => {
        await tx.$executeRaw`
          UPDATE "Mailbox" SET "lastSeenUid" = ${batch.at(-1)!}, "messagesRead" = "messagesRead" + ${heads.length},
            "repliesMatched" = "repliesMatched" + ${count(handled, "reply")}, "bouncesMatched" = "bouncesMatched" + ${count(handled, "bounce")},
            "leaseUntil" = ${new Date(currentTime().getTime() + LEASE_MS)}, "updatedAt" = ${currentTime()}
          WHERE "id" = ${mailbox.id}`;
      },
    );
    totals.messages += heads.length;
    totals.replies += count(handled, "reply");
    totals.bounces += count(handled, "bounce");
  }
  return { outcome: "read", ...totals, uidValidityReset: reset && mailbox.uidValidity !== null };
}
