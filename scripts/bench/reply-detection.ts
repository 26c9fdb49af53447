/**
 * Reply detection (issue 21): a mailbox of 10,000 messages of which the
 * last 1,000 are new, on a real IMAP server (Debian's dovecot, started here
 * from a throwaway config, as the tests do). Timed: the product's reader
 * (readMailbox: connect, select, find the new UIDs, fetch, parse, match
 * against the stored Message-IDs, record replies and bounces through the
 * webhook paths, advance the cursor) reading the 1,000 new messages, against
 * a raw imapflow fetch of the same 1,000 messages' sources in the same run.
 *
 * The new mail is a working inbox's mix, not only replies: 100 replies to
 * sequence emails, 20 out-of-office replies, 20 hard bounces (RFC 3464), and
 * 860 messages that are none of ours (newsletters, colleagues' threads,
 * replies to other people's mail). Every reply and bounce must be recorded
 * (checked) for the run to count. The notes give the cost per recorded reply.
 * A first round, the same in every way, warms the app's client and is not
 * counted: the reader runs every minute in a long-lived server process.
 */
import { randomUUID } from "node:crypto";
import { ImapFlow } from "imapflow";
import { setEventSender } from "../../lib/events/publish";
import { readMailbox } from "../../lib/mailbox/read-mailbox";
import { encryptSecret } from "../../lib/mailbox/secret-box";
import { startDovecot, type Dovecot } from "../../tests/support/dovecot";
import { deliveryReport, replyMessage } from "../../tests/support/mail-messages";
import { releaseAppDatabase, useAppDatabase } from "./lib/app";
import type { Db } from "../../lib/db/prisma";
import { type BenchCluster, rawPool } from "./lib/database";
import { insertContacts, insertSequence } from "./lib/data";
import { profiled } from "./lib/profile";
import type { BenchResult } from "./lib/report";
import { median, timed } from "./lib/stats";

const OLD = 9_000;
const NEW = { replies: 100, autoReplies: 20, bounces: 20, other: 860 };
const NEW_TOTAL = NEW.replies + NEW.autoReplies + NEW.bounces + NEW.other;
const TARGET = 3;
const RUNS = Number(process.env.BENCH_REPLY_RUNS ?? 3);

/** Raised when dovecot is not installed: the bench cannot run, and says so. */
export class DovecotMissing extends Error {}

type Sent = { email: string; messageId: string };

const date = "Mon, 05 Jan 2026 10:00:00 +0000";
const paragraph =
  "Thanks for the note. We looked at the proposal with the team this morning and have a few questions about the rollout, the pricing tiers and how the onboarding calls would be scheduled across our three offices.";

function reply(from: string, inReplyTo: string, auto: boolean): string {
  const quoted = Array.from({ length: 12 }, (_, i) => `> quoted line ${i} of the step we sent, as mail clients quote it`);
  return replyMessage({
    from,
    inReplyTo: `<${inReplyTo}>`,
    subject: auto ? "Automatic reply: Step 1" : "Re: Step 1",
    extraHeaders: auto ? ["Auto-Submitted: auto-replied", "MIME-Version: 1.0"] : ["MIME-Version: 1.0"],
    body: [paragraph, "", ...quoted],
  });
}

function bounce(sent: Sent): string {
  return deliveryReport({ recipient: sent.email, returnedMessageId: `<${sent.messageId}>`, status: "5.1.1", action: "failed" });
}

/** Mail that is none of ours: newsletters (HTML, a few KB) and colleagues' threads. */
function other(i: number): string {
  if (i % 3 === 0) {
    return [
      `From: Team <news${i % 17}@newsletter.test>`,
      "To: sender@example.test",
      `Subject: This week's digest #${i}`,
      `Message-ID: <${randomUUID()}@newsletter.test>`,
      `Date: ${date}`,
      "List-Id: <digest.newsletter.test>",
      "MIME-Version: 1.0",
      "Content-Type: text/html; charset=utf-8",
      "",
      `<html><body>${Array.from({ length: 20 }, (_, k) => `<p><a href="https://newsletter.test/a/${i}/${k}">Story ${k}</a> ${paragraph}</p>`).join("\n")}</body></html>`,
      "",
    ].join("\r\n");
  }
  return [
    `From: Colleague <colleague${i % 23}@example.test>`,
    "To: sender@example.test",
    `Subject: Re: planning ${i}`,
    `Message-ID: <${randomUUID()}@example.test>`,
    `In-Reply-To: <${randomUUID()}@example.test>`,
    `References: <${randomUUID()}@example.test> <${randomUUID()}@example.test>`,
    `Date: ${date}`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    paragraph,
    paragraph,
    "",
  ].join("\r\n");
}

/** APPENDs (as a delivering server would) over a few connections at once; the UIDs assigned, ascending. */
async function appendAll(imap: Dovecot, messages: string[]): Promise<number[]> {
  const CONNECTIONS = 4;
  const uids: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const client = new ImapFlow({ host: imap.host, port: imap.port, secure: false, auth: { user: imap.user, pass: imap.password }, logger: false });
      client.on("error", () => {});
      await client.connect();
      try {
        while (next < messages.length) {
          const result = await client.append("INBOX", messages[next++]);
          if (!result || !result.uid) throw new Error("APPEND returned no UID");
          uids.push(result.uid);
        }
      } finally {
        await client.logout();
      }
    }),
  );
  return uids.sort((a, b) => a - b);
}

/** The raw baseline: connect, select, fetch these UIDs' sources (the same 256 KB cap the reader uses). */
async function rawFetch(imap: Dovecot, first: number, last: number): Promise<number> {
  const client = new ImapFlow({ host: imap.host, port: imap.port, secure: false, auth: { user: imap.user, pass: imap.password }, logger: false, disableAutoIdle: true });
  client.on("error", () => {});
  await client.connect();
  try {
    await client.mailboxOpen("INBOX", { readOnly: true });
    let bytes = 0;
    for await (const message of client.fetch(`${first}:${last}`, { uid: true, source: { maxLength: 256 * 1024 } }, { uid: true })) bytes += message.source?.length ?? 0;
    return bytes;
  } finally {
    await client.logout();
  }
}

/**
 * This round's contacts, each enrolled in a new sequence with step 1 sent
 * (its Message-ID stored), in the one database every round shares.
 */
async function prepareRound(url: string, round: string, count: number): Promise<Sent[]> {
  const raw = rawPool(url, 1);
  try {
    await insertContacts(raw, count, round);
    const { id, stepIds } = await insertSequence(raw, { name: `Outreach ${round}`, steps: 2 });
    await raw.query(`UPDATE "Sequence" SET "exitOnReply" = true WHERE "id" = $1`, [id]);
    const { rows } = await raw.query<{ email: string; messageId: string }>(
      `WITH e AS (
         INSERT INTO "Enrollment" ("id", "contactId", "sequenceId", "source", "nextStepDueAt", "updatedAt")
         SELECT gen_random_uuid()::text, c."id", $1, 'manual', now() + interval '1 day', now() FROM "Contact" c
         WHERE c."email" LIKE 'bench-' || $3 || '-%' RETURNING "id", "contactId"
       ), s AS (
         INSERT INTO "StepSend" ("id", "enrollmentId", "stepId", "status", "messageId", "sentAt")
         SELECT gen_random_uuid()::text, e."id", $2, 'sent', encode(sha256(e."id"::bytea), 'hex') || '@stepwise.local', now() FROM e
         RETURNING "enrollmentId", "messageId"
       )
       SELECT c."email", s."messageId" FROM s JOIN e ON e."id" = s."enrollmentId" JOIN "Contact" c ON c."id" = e."contactId"`,
      [id, stepIds[0], round],
    );
    await raw.query("VACUUM ANALYZE");
    return rows;
  } finally {
    await raw.end();
  }
}

/** The new mail, ours spread through the rest as it arrives. */
function newMail(sent: Sent[]): string[] {
  const ours = [
    ...sent.slice(0, NEW.replies).map((s) => reply(s.email, s.messageId, false)),
    ...sent.slice(NEW.replies, NEW.replies + NEW.autoReplies).map((s) => reply(s.email, s.messageId, true)),
    ...sent.slice(NEW.replies + NEW.autoReplies, NEW.replies + NEW.autoReplies + NEW.bounces).map(bounce),
  ];
  const mail = Array.from({ length: NEW.other }, (_, i) => other(OLD + i));
  const every = Math.floor(NEW_TOTAL / ours.length);
  ours.forEach((m, k) => mail.splice(k * every, 0, m));
  return mail;
}

export async function benchReplyDetection(cluster: BenchCluster, log: (line: string) => void): Promise<BenchResult> {
  process.env.STEPWISE_SIGNING_SECRET ??= "bench-signing-secret-0123456789abcdef";
  // Events are handed to an in-memory sender (as the other benchmarks do): the hop to Inngest is not measured.
  let published = 0;
  setEventSender(async (events) => void (published += events.length));
  let imap: Dovecot;
  try {
    imap = await startDovecot();
  } catch (error) {
    setEventSender(null);
    throw new DovecotMissing(error instanceof Error ? error.message : String(error));
  }
  try {
    log(`[bench] replies: appending ${OLD} old messages to dovecot`);
    await appendAll(imap, Array.from({ length: OLD }, (_, i) => other(i)));
    const products: number[] = [];
    const baselines: number[] = [];
    let recorded = { replies: 0, bounces: 0, messages: 0 };
    // One database and one app client for every round, as the app's server
    // process keeps its client and its pool between the cron's reads. The
    // first round warms them (connections opened, each statement's plan
    // compiled once) and is not counted: a cold client is the first minute
    // after a deploy, not the reader's steady state.
    const url = await cluster.createDatabase("replies");
    const db = await useAppDatabase(url);
    try {
      const status = await imapStatus(imap);
      await db.mailbox.create({
        data: {
          id: "default",
          host: imap.host,
          port: imap.port,
          tls: false,
          username: imap.user,
          secretEncrypted: encryptSecret(imap.password, "mailbox:default:secret"),
          uidValidity: status.uidValidity,
          lastSeenUid: OLD,
        },
      });
      for (let run = -1; run < RUNS; run++) {
        const round = run < 0 ? "warmup" : `run${run}`;
        const sent = await prepareRound(url, round, NEW.replies + NEW.autoReplies + NEW.bounces + 100);
        const uids = await appendAll(imap, newMail(sent));
        const first = uids[0];
        const last = uids.at(-1)!;
        if (last - first + 1 !== NEW_TOTAL) throw new Error(`the new mail's UIDs are not one range: ${first}..${last}`);
        // The reader left the mailbox after everything before the new mail.
        await db.mailbox.update({ where: { id: "default" }, data: { lastSeenUid: first - 1 } });
        const before = await outcomes(db);
        // Alternating which goes first, so neither always finds dovecot's cache warm.
        let baseline = 0;
        const base = async () => void (baseline = (await timed(() => rawFetch(imap, first, last))).ms);
        if (run % 2 !== 0) await base();
        const { result, ms } = await timed(() => profiled(`replies-${round}`, log, () => readMailbox(db, { mailboxId: "default" })));
        if (run % 2 === 0) await base();
        if (result.outcome !== "read") throw new Error(`the reader did not read: ${JSON.stringify(result)}`);
        const after = await outcomes(db);
        const exited = after.exited - before.exited;
        const bounced = after.bounced - before.bounced;
        if (result.messages !== NEW_TOTAL || result.replies !== NEW.replies || exited !== NEW.replies || bounced !== NEW.bounces) {
          throw new Error(`the reader missed mail: ${JSON.stringify({ ...result, exited, bounced })}`);
        }
        if (published < NEW.replies + NEW.bounces) throw new Error(`only ${published} exit events were published`);
        published = 0;
        log(`[bench] replies ${round}${run < 0 ? " (warm-up, not counted)" : ""}: reader ${Math.round(ms)} ms, raw fetch ${Math.round(baseline)} ms`);
        if (run < 0) continue;
        recorded = result;
        products.push(ms);
        baselines.push(baseline);
      }
    } finally {
      await releaseAppDatabase();
    }
    const ratio = median(products.map((p, i) => p / baselines[i]));
    return {
      name: "reply_detection",
      unit: `ms to process ${NEW_TOTAL} new messages in a ${OLD + NEW_TOTAL}+ message mailbox (median of ${RUNS}); ratio = reader / raw imapflow fetch, paired per run`,
      product: { ms: median(products) },
      baseline: { ms: median(baselines) },
      ratio,
      target: `≤ ${TARGET}x`,
      pass: ratio <= TARGET,
      notes: { recorded, mix: NEW, ms_per_recorded_reply_or_bounce: median(products) / (NEW.replies + NEW.bounces) },
    };
  } finally {
    setEventSender(null);
    await imap.stop();
  }
}

/** Enrollments ended by a reply and contacts bounced so far: each round checks what it added. */
async function outcomes(db: Db): Promise<{ exited: number; bounced: number }> {
  const [exited, bounced] = await Promise.all([db.enrollment.count({ where: { exitReason: "replied" } }), db.contact.count({ where: { status: "bounced" } })]);
  return { exited, bounced };
}

async function imapStatus(imap: Dovecot): Promise<{ uidValidity: bigint }> {
  const client = new ImapFlow({ host: imap.host, port: imap.port, secure: false, auth: { user: imap.user, pass: imap.password }, logger: false });
  client.on("error", () => {});
  await client.connect();
  try {
    const status = await client.status("INBOX", { uidValidity: true });
    if (!status || status.uidValidity === undefined) throw new Error("STATUS returned no UIDVALIDITY");
    return { uidValidity: BigInt(status.uidValidity) };
  } finally {
    await client.logout();
  }
}
