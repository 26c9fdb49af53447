/**
 * The mailbox reader against a real IMAP server (dovecot on loopback) and
 * real sent mail (the SMTP transport to a loopback SMTP server): replies
 * and bounces APPENDed to the mailbox end enrollments through the same
 * paths as the webhooks; everything else changes nothing.
 */
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setTransport } from "../../lib/email/transports";
import { SmtpTransport } from "../../lib/email/transports/smtp";
import { idleWindowMs, readMailbox } from "../../lib/mailbox/read-mailbox";
import { saveMailbox, testMailboxConnection } from "../../lib/mailbox/settings";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { sendStep } from "../../lib/sequences/run-step";
import { resetDb, testDb } from "../support/db";
import { startDovecot, type Dovecot } from "../support/dovecot";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";
import { plannedSend } from "../support/plan";
import { deliveryReport, replyMessage } from "../support/mail-messages";
import { startSmtpServer, type LoopbackSmtp } from "../support/smtp-server";

process.env.STEPWISE_SIGNING_SECRET ??= "mailbox-reader-signing-secret-0123";

const db = testDb();
const events = recordEvents();
let imap: Dovecot;
let smtp: LoopbackSmtp;

beforeAll(async () => {
  imap = await startDovecot();
  smtp = await startSmtpServer({ disabledCommands: ["STARTTLS"] });
  setTransport(new SmtpTransport(smtp.url));
}, 60_000);
afterAll(async () => {
  setTransport(null);
  events.restore();
  await smtp?.close();
  await imap?.stop();
});

// Each test reads only what it appended: the cursor starts at the folder's
// current end, as if every earlier message had been read.
beforeEach(async () => {
  await resetDb();
  await db.mailbox.deleteMany();
  await connectMailbox();
  await readMailbox(db, { mailboxId });
  smtp.accepted.length = 0;
});

let mailboxId: string;

async function connectMailbox(password = imap.password) {
  ({ id: mailboxId } = await saveMailbox(db, { senderId: null, host: imap.host, port: imap.port, tls: false, username: imap.user, authMethod: "password", secret: password, folder: "INBOX" }));
}

/** A contact enrolled in an exit-on-reply sequence, sent step 1 over SMTP; the Message-ID as sent. */
async function sentStepOne() {
  const contact = await makeContact(db);
  const sequence = await makeSequence(db, { exitOnReply: true, steps: [{ delayAmount: 0 }, { delayAmount: 1 }] });
  const enrolled = await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
  if (enrolled.outcome !== "enrolled") throw new Error(enrolled.outcome);
  const first = await plannedSend(db, enrolled.enrollmentId);
  expect(first.stepId).toBe(sequence.steps[0].id);
  const outcome = await sendStep(db, first);
  if (outcome.outcome !== "sent") throw new Error(JSON.stringify(outcome));
  const raw = smtp.accepted.at(-1)!.raw.replace(/\r\n[ \t]+/g, " ");
  const messageId = raw.match(/^Message-ID:\s*(<[^>]+>)/im)![1];
  return { contact, sequence, enrollmentId: enrolled.enrollmentId, messageId };
}

const reply = replyMessage;
const dsn = deliveryReport;

async function enrollmentOf(id: string) {
  return db.enrollment.findUniqueOrThrow({ where: { id }, select: { status: true, exitReason: true } });
}

describe("reading replies", () => {
  it("a reply to our message ends the exit-on-reply enrollment, once", async () => {
    const sent = await sentStepOne();
    await imap.append(reply({ from: sent.contact.email, inReplyTo: sent.messageId }));

    expect(await readMailbox(db, { mailboxId })).toMatchObject({ outcome: "read", messages: 1, replies: 1, bounces: 0 });
    expect(await enrollmentOf(sent.enrollmentId)).toEqual({ status: "replied", exitReason: "replied" });
    const stored = await db.inboundReply.findMany({ where: { contactId: sent.contact.id } });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ provider: "imap", isAutoReply: false });

    expect(await readMailbox(db, { mailboxId })).toMatchObject({ outcome: "read", messages: 0 });
    const mailbox = await db.mailbox.findUniqueOrThrow({ where: { id: mailboxId } });
    expect(mailbox).toMatchObject({ repliesMatched: 1, lastError: null });
  });

  it("matches through References when In-Reply-To names someone else's message", async () => {
    const sent = await sentStepOne();
    const raw = reply({ from: sent.contact.email, inReplyTo: "<other@client.test>" }).replace(/^References: .*$/m, `References: ${sent.messageId} <other@client.test>`);
    await imap.append(raw);
    expect(await readMailbox(db, { mailboxId })).toMatchObject({ replies: 1 });
    expect(await enrollmentOf(sent.enrollmentId)).toEqual({ status: "replied", exitReason: "replied" });
  });

  it("an out-of-office auto-reply ends nothing", async () => {
    const sent = await sentStepOne();
    await imap.append(reply({ from: sent.contact.email, inReplyTo: sent.messageId, subject: "Automatic reply: Step 1", extraHeaders: ["Auto-Submitted: auto-replied"] }));
    expect(await readMailbox(db, { mailboxId })).toMatchObject({ outcome: "read", messages: 1, replies: 0 });
    expect(await enrollmentOf(sent.enrollmentId)).toEqual({ status: "active", exitReason: null });
    expect(await db.inboundReply.findFirst({ where: { contactId: sent.contact.id } })).toMatchObject({ isAutoReply: true });
  });

  it("mail that answers none of our messages ends nothing, even from a contact's address", async () => {
    const sent = await sentStepOne();
    await imap.append(reply({ from: sent.contact.email, inReplyTo: `<${randomUUID()}@elsewhere.test>` }));
    await imap.append(reply({ from: sent.contact.email, inReplyTo: `<${sent.enrollmentId}.forged@localhost>` }));
    expect(await readMailbox(db, { mailboxId })).toMatchObject({ outcome: "read", messages: 2, replies: 0 });
    expect(await enrollmentOf(sent.enrollmentId)).toEqual({ status: "active", exitReason: null });
    expect(await db.inboundReply.count()).toBe(0);
  });
});

describe("a batch of several contacts' mail, read at once", () => {
  it("each reply, out-of-office and bounce counts as it would alone; the same reply twice is stored, announced and credited once", async () => {
    const [twice, away, bounced, once] = [await sentStepOne(), await sentStepOne(), await sentStepOne(), await sentStepOne()];
    const duplicate = reply({ from: twice.contact.email, inReplyTo: twice.messageId });
    await imap.append(duplicate);
    await imap.append(reply({ from: away.contact.email, inReplyTo: away.messageId, subject: "Automatic reply: Step 1", extraHeaders: ["Auto-Submitted: auto-replied"] }));
    await imap.append(dsn({ recipient: bounced.contact.email, returnedMessageId: bounced.messageId, status: "5.1.1", action: "failed" }));
    await imap.append(duplicate);
    await imap.append(reply({ from: once.contact.email, inReplyTo: once.messageId }));
    await db.webhookEndpoint.create({ data: { url: "https://hooks.example.test/stepwise", events: ["contact.replied", "contact.bounced"], secret: "whsec_dGVzdA==" } });
    events.sent.length = 0;

    expect(await readMailbox(db, { mailboxId })).toMatchObject({ outcome: "read", messages: 5, replies: 3, bounces: 1 });
    expect(await enrollmentOf(twice.enrollmentId)).toEqual({ status: "replied", exitReason: "replied" });
    expect(await enrollmentOf(once.enrollmentId)).toEqual({ status: "replied", exitReason: "replied" });
    expect(await enrollmentOf(away.enrollmentId)).toEqual({ status: "active", exitReason: null });
    expect(await enrollmentOf(bounced.enrollmentId)).toEqual({ status: "bounced", exitReason: "bounced" });
    expect(await db.inboundReply.count({ where: { contactId: twice.contact.id } })).toBe(1);
    const exitedEvents = await db.enrollmentEvent.groupBy({ by: ["contactId"], where: { type: "exited" }, _count: true });
    expect(Object.fromEntries(exitedEvents.map((e) => [e.contactId, e._count]))).toEqual({ [twice.contact.id]: 1, [once.contact.id]: 1, [bounced.contact.id]: 1 });
    const credited = await db.sendEngagement.findMany({ where: { kind: "replied" }, select: { sendId: true } });
    const sends = await db.stepSend.findMany({ where: { id: { in: credited.map((c) => c.sendId) } }, select: { enrollmentId: true } });
    expect(credited).toHaveLength(2);
    expect(sends.map((s) => s.enrollmentId).sort()).toEqual([twice.enrollmentId, once.enrollmentId].sort());
    const published = events.sent.map((e) => (e.data as { contactId?: string }).contactId);
    expect(published.sort()).toEqual([twice.contact.id, once.contact.id, bounced.contact.id].sort());
    const outbox = await db.webhookEvent.findMany({ select: { type: true, payload: true } });
    const announced = (type: string) => outbox.filter((e) => e.type === type).map((e) => (e.payload as { data: { contactId: string } }).data.contactId).sort();
    expect(announced("contact.replied")).toEqual([twice.contact.id, once.contact.id].sort());
    expect(announced("contact.bounced")).toEqual([bounced.contact.id]);
  });
});

describe("reading bounces (RFC 3464 delivery status notifications)", () => {
  it("a hard bounce of our message bounces the contact and ends their enrollments", async () => {
    const sent = await sentStepOne();
    await imap.append(dsn({ recipient: sent.contact.email, returnedMessageId: sent.messageId, status: "5.1.1", action: "failed" }));
    expect(await readMailbox(db, { mailboxId })).toMatchObject({ outcome: "read", messages: 1, bounces: 1, replies: 0 });
    expect(await db.contact.findUniqueOrThrow({ where: { id: sent.contact.id } })).toMatchObject({ status: "bounced" });
    expect(await enrollmentOf(sent.enrollmentId)).toEqual({ status: "bounced", exitReason: "bounced" });
    const consent = await db.consentEvent.findFirstOrThrow({ where: { contactId: sent.contact.id, type: "bounced" } });
    expect(consent.detail).toContain("5.1.1");
  });

  it("a delayed (4.x.x) notice changes nothing", async () => {
    const sent = await sentStepOne();
    await imap.append(dsn({ recipient: sent.contact.email, returnedMessageId: sent.messageId, status: "4.4.1", action: "delayed" }));
    expect(await readMailbox(db, { mailboxId })).toMatchObject({ messages: 1, bounces: 0 });
    expect(await db.contact.findUniqueOrThrow({ where: { id: sent.contact.id } })).toMatchObject({ status: "subscribed" });
  });

  it("a forged bounce (not returning our Message-ID, or naming another address) changes nothing", async () => {
    const sent = await sentStepOne();
    const other = await makeContact(db);
    await imap.append(dsn({ recipient: sent.contact.email, returnedMessageId: `<${randomUUID()}@localhost>`, status: "5.1.1", action: "failed" }));
    await imap.append(dsn({ recipient: other.email, returnedMessageId: sent.messageId, status: "5.1.1", action: "failed" }));
    expect(await readMailbox(db, { mailboxId })).toMatchObject({ messages: 2, bounces: 0 });
    expect(await db.contact.count({ where: { status: "bounced" } })).toBe(0);
  });
});

describe("IDLE: waiting for new mail on the connection", () => {
  it("a reply APPENDed while the reader waits in IDLE is read at once, not at the next poll", async () => {
    const sent = await sentStepOne();
    const window = 30_000;
    const started = Date.now();
    const reading = readMailbox(db, { mailboxId, idleMs: window });
    // The first read is done and the reader is waiting when lastReadAt is set.
    await until(async () => {
      const row = await db.mailbox.findUniqueOrThrow({ where: { id: mailboxId } });
      return row.leaseUntil !== null && row.lastReadAt! > new Date(started);
    });
    const appended = Date.now();
    await imap.append(reply({ from: sent.contact.email, inReplyTo: sent.messageId }));
    await until(async () => (await enrollmentOf(sent.enrollmentId)).status === "replied");
    const seen = Date.now() - appended;
    const result = await reading;
    // Read while waiting, well before the window (the next poll) was over.
    expect(seen).toBeLessThan(10_000);
    expect(result).toMatchObject({ outcome: "read", messages: 1, replies: 1 });
    expect(await db.mailbox.findUniqueOrThrow({ where: { id: mailboxId } })).toMatchObject({ repliesMatched: 1, leaseUntil: null });
  }, 90_000);

  it("the window ends the read when nothing arrives", async () => {
    const started = Date.now();
    expect(await readMailbox(db, { mailboxId, idleMs: 1_500 })).toMatchObject({ outcome: "read", messages: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
  });

  it("the cron's window: MAILBOX_IDLE_SECONDS, 45 s by default, 0 for polling only", () => {
    expect(idleWindowMs({})).toBe(45_000);
    expect(idleWindowMs({ MAILBOX_IDLE_SECONDS: "10" })).toBe(10_000);
    expect(idleWindowMs({ MAILBOX_IDLE_SECONDS: "0" })).toBe(0);
    expect(idleWindowMs({ MAILBOX_IDLE_SECONDS: "junk" })).toBe(0);
  });
});

/** Polls `check` every 100 ms for up to 60 s. */
async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("VERP return paths (BOUNCE_DOMAIN)", () => {
  afterEach(() => {
    delete process.env.BOUNCE_DOMAIN;
  });

  it("off by default: the envelope sender is the From address", async () => {
    await sentStepOne();
    expect(smtp.accepted.at(-1)!.from).toBe("hello@stepwise.local");
  });

  it("a hard bounce to the send's return path bounces the contact, though it returns no Message-ID", async () => {
    process.env.BOUNCE_DOMAIN = "bounces.example.test";
    const sent = await sentStepOne();
    const returnPath = smtp.accepted.at(-1)!.from;
    // Unguessable, and not the internal id: the Message-ID's HMAC.
    expect(returnPath).toMatch(/^bounces\+[0-9a-f]{40}@bounces\.example\.test$/);
    expect(returnPath).not.toContain(sent.enrollmentId);
    expect(sent.messageId).toContain(returnPath.slice("bounces+".length, returnPath.indexOf("@")));

    await imap.append(dsn({ recipient: sent.contact.email, returnedMessageId: null, status: "5.1.1", action: "failed", to: returnPath }));
    expect(await readMailbox(db, { mailboxId })).toMatchObject({ outcome: "read", messages: 1, bounces: 1 });
    expect(await db.contact.findUniqueOrThrow({ where: { id: sent.contact.id } })).toMatchObject({ status: "bounced" });
    expect(await enrollmentOf(sent.enrollmentId)).toEqual({ status: "bounced", exitReason: "bounced" });
    expect(await db.mailbox.findUniqueOrThrow({ where: { id: mailboxId } })).toMatchObject({ bouncesMatched: 1 });
  });

  it("a report to a made-up return path, or naming another address, changes nothing", async () => {
    process.env.BOUNCE_DOMAIN = "bounces.example.test";
    const sent = await sentStepOne();
    const other = await makeContact(db);
    const returnPath = smtp.accepted.at(-1)!.from;
    await imap.append(dsn({ recipient: sent.contact.email, returnedMessageId: null, status: "5.1.1", action: "failed", to: `bounces+${"ab".repeat(20)}@bounces.example.test` }));
    await imap.append(dsn({ recipient: other.email, returnedMessageId: null, status: "5.1.1", action: "failed", to: returnPath }));
    expect(await readMailbox(db, { mailboxId })).toMatchObject({ messages: 2, bounces: 0 });
    expect(await db.contact.count({ where: { status: "bounced" } })).toBe(0);
    expect(await enrollmentOf(sent.enrollmentId)).toEqual({ status: "active", exitReason: null });
  });
});

describe("the cursor, the lease and failures", () => {
  it("a renumbered folder (UIDVALIDITY changed) is read again without doubling anything", async () => {
    const sent = await sentStepOne();
    await imap.append(reply({ from: sent.contact.email, inReplyTo: sent.messageId }));
    expect(await readMailbox(db, { mailboxId })).toMatchObject({ replies: 1 });

    await db.mailbox.update({ where: { id: mailboxId }, data: { uidValidity: 1n, lastSeenUid: 999_999 } });
    const again = await readMailbox(db, { mailboxId });
    expect(again).toMatchObject({ outcome: "read", uidValidityReset: true });
    expect((again as { messages: number }).messages).toBeGreaterThanOrEqual(1);
    expect(await db.inboundReply.count({ where: { contactId: sent.contact.id } })).toBe(1);
    const mailbox = await db.mailbox.findUniqueOrThrow({ where: { id: mailboxId } });
    expect(mailbox.uidValidity).not.toBe(1n);
    expect(Number(mailbox.lastSeenUid)).toBeLessThan(999_999);
  });

  it("a message handled but not yet passed (a crash) is handled again without doubling anything", async () => {
    const sent = await sentStepOne();
    await imap.append(reply({ from: sent.contact.email, inReplyTo: sent.messageId }));
    const before = await db.mailbox.findUniqueOrThrow({ where: { id: mailboxId } });
    await readMailbox(db, { mailboxId });
    await db.mailbox.update({ where: { id: mailboxId }, data: { lastSeenUid: before.lastSeenUid } });
    expect(await readMailbox(db, { mailboxId })).toMatchObject({ messages: 1 });
    expect(await db.inboundReply.count()).toBe(1);
    expect(await enrollmentOf(sent.enrollmentId)).toEqual({ status: "replied", exitReason: "replied" });
  });

  it("the IMAP server down: the read fails in words, moves nothing, and the next read catches up", async () => {
    const sent = await sentStepOne();
    await imap.append(reply({ from: sent.contact.email, inReplyTo: sent.messageId }));
    const before = await db.mailbox.findUniqueOrThrow({ where: { id: mailboxId } });
    await imap.pause();
    try {
      const failed = await readMailbox(db, { mailboxId });
      expect(failed).toMatchObject({ outcome: "failed" });
      expect((failed as { error: string }).error).toMatch(/Nothing accepted a connection|closed the connection/);
      const mailbox = await db.mailbox.findUniqueOrThrow({ where: { id: mailboxId } });
      expect(mailbox.lastSeenUid).toBe(before.lastSeenUid);
      expect(mailbox.lastError).toBe((failed as { error: string }).error);
      expect(mailbox.leaseUntil).toBeNull();
    } finally {
      await imap.resume();
    }
    expect(await readMailbox(db, { mailboxId })).toMatchObject({ outcome: "read", messages: 1, replies: 1 });
    expect(await db.mailbox.findUniqueOrThrow({ where: { id: mailboxId } })).toMatchObject({ lastError: null });
  });

  it("one reader at a time: a read while another reader holds the lease finds the mailbox busy, and reads once the lease is released", async () => {
    // Another reader (another process) in the middle of its read. Two reads
    // started together only overlap when the scheduler lets them, which on
    // a loaded machine it did not: the first finished before the second began.
    const [mailbox] = await db.mailbox.findMany();
    await db.mailbox.update({ where: { id: mailbox.id }, data: { leaseUntil: new Date(Date.now() + 3_600_000) } });
    expect(await readMailbox(db, { mailboxId })).toEqual({ outcome: "busy" });
    await db.mailbox.update({ where: { id: mailbox.id }, data: { leaseUntil: null } });
    expect((await readMailbox(db, { mailboxId })).outcome).toBe("read");
  });

  it("a wrong password is reported in words", async () => {
    await connectMailbox("not-the-password");
    const result = await readMailbox(db, { mailboxId });
    expect(result).toMatchObject({ outcome: "failed" });
    expect((result as { error: string }).error).toMatch(/refused the user name or password/);
  });

  it("no mailbox connected: nothing to do", async () => {
    await db.mailbox.deleteMany();
    expect(await readMailbox(db, { mailboxId })).toEqual({ outcome: "not_configured" });
  });
});

describe("Test connection", () => {
  it("shows the folders and the message count", async () => {
    await imap.append(reply({ from: "x@example.test", inReplyTo: "<a@b>" }));
    const result = await testMailboxConnection(db, { senderId: null });
    expect(result).toMatchObject({ ok: true, folder: "INBOX" });
    if (!result.ok) throw new Error(result.error);
    expect(result.folders).toContain("INBOX");
    expect(result.messages).toBeGreaterThanOrEqual(1);
  });

  it("reports a wrong password in words", async () => {
    await connectMailbox("wrong");
    expect(await testMailboxConnection(db, { senderId: null })).toEqual({ ok: false, error: expect.stringMatching(/refused the user name or password/) });
  });

  it("saving with a blank secret keeps the stored one; another server restarts the cursor", async () => {
    await db.mailbox.update({ where: { id: mailboxId }, data: { lastSeenUid: 42, uidValidity: 7n } });
    await saveMailbox(db, { senderId: null, host: imap.host, port: imap.port, tls: false, username: imap.user, authMethod: "password", secret: undefined, folder: "INBOX" });
    expect(await testMailboxConnection(db, { senderId: null })).toMatchObject({ ok: true });
    expect(await db.mailbox.findUniqueOrThrow({ where: { id: mailboxId } })).toMatchObject({ lastSeenUid: 42n, uidValidity: 7n });

    await saveMailbox(db, { senderId: null, host: "localhost", port: imap.port, tls: false, username: imap.user, authMethod: "password", secret: undefined, folder: "INBOX" });
    expect(await db.mailbox.findUniqueOrThrow({ where: { id: mailboxId } })).toMatchObject({ lastSeenUid: 0n, uidValidity: null });
  });

  it("a first save without a secret is a field error", async () => {
    await db.mailbox.deleteMany();
    await expect(saveMailbox(db, { senderId: null, host: imap.host, port: imap.port, tls: false, username: imap.user, authMethod: "password", folder: "INBOX" })).rejects.toMatchObject({
      code: "validation",
      fieldErrors: { secret: ["Enter the password or access token"] },
    });
    expect(await db.mailbox.count()).toBe(0);
  });

  it("stores the password encrypted, never in the clear", async () => {
    const row = await db.mailbox.findUniqueOrThrow({ where: { id: mailboxId } });
    expect(row.secretEncrypted).not.toContain(imap.password);
    expect(row.secretEncrypted).toMatch(/^v1\./);
  });
});
