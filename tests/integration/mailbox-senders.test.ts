/**
 * One mailbox per sender identity, each on its own IMAP server (two
 * dovecots on loopback): each is read on its own, with its own cursor and
 * state; a reply is matched whichever mailbox it arrives in; a failing
 * mailbox does not hold up the other.
 */
import fs from "node:fs";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setTransport } from "../../lib/email/transports";
import { SmtpTransport } from "../../lib/email/transports/smtp";
import { mailboxesToRead, readMailbox } from "../../lib/mailbox/read-mailbox";
import { listMailboxes, removeMailbox, saveMailbox, testMailboxConnection } from "../../lib/mailbox/settings";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { sendStep } from "../../lib/sequences/run-step";
import { deleteSender } from "../../lib/senders/manage";
import { resetDb, testDb } from "../support/db";
import { startDovecot, type Dovecot } from "../support/dovecot";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";
import { plannedSend } from "../support/plan";
import { startSmtpServer, type LoopbackSmtp } from "../support/smtp-server";

process.env.STEPWISE_SIGNING_SECRET ??= "mailbox-senders-signing-secret-0123";

const db = testDb();
const events = recordEvents();
let imapA: Dovecot;
let imapB: Dovecot;
let smtp: LoopbackSmtp;
let senderA: { id: string };
let senderB: { id: string };
const box: Record<"a" | "b", string> = { a: "", b: "" };

beforeAll(async () => {
  [imapA, imapB] = await Promise.all([startDovecot(), startDovecot()]);
  smtp = await startSmtpServer({ disabledCommands: ["STARTTLS"] });
  setTransport(new SmtpTransport(smtp.url));
}, 90_000);
afterAll(async () => {
  setTransport(null);
  events.restore();
  await smtp?.close();
  await Promise.all([imapA?.stop(), imapB?.stop()]);
});

const settingsOf = (imap: Dovecot, password = imap.password) =>
  ({ host: imap.host, port: imap.port, tls: false, username: imap.user, authMethod: "password", secret: password, folder: "INBOX" }) as const;

// Each test reads only what it appended: both cursors start at their folder's end.
beforeEach(async () => {
  await resetDb();
  await db.mailbox.deleteMany();
  senderA = await db.sender.create({ data: { fromName: "Sales", fromAddress: "sales@example.test" } });
  senderB = await db.sender.create({ data: { fromName: "Support", fromAddress: "support@example.test" } });
  box.a = (await saveMailbox(db, { senderId: senderA.id, ...settingsOf(imapA) })).id;
  box.b = (await saveMailbox(db, { senderId: senderB.id, ...settingsOf(imapB) })).id;
  expect(await readMailbox(db, { mailboxId: box.a })).toMatchObject({ outcome: "read" });
  expect(await readMailbox(db, { mailboxId: box.b })).toMatchObject({ outcome: "read" });
  await db.mailbox.updateMany({ data: { messagesRead: 0, repliesMatched: 0, bouncesMatched: 0 } });
  smtp.accepted.length = 0;
});

/** A contact sent step 1 of an exit-on-reply sequence from `senderId`; the Message-ID as sent. */
async function sentStepOne(senderId: string) {
  const contact = await makeContact(db);
  const sequence = await makeSequence(db, { exitOnReply: true, senderId, steps: [{ delayAmount: 0 }, { delayAmount: 1 }] });
  const enrolled = await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
  if (enrolled.outcome !== "enrolled") throw new Error(enrolled.outcome);
  const outcome = await sendStep(db, await plannedSend(db, enrolled.enrollmentId));
  if (outcome.outcome !== "sent") throw new Error(JSON.stringify(outcome));
  const messageId = smtp.accepted.at(-1)!.raw.replace(/\r\n[ \t]+/g, " ").match(/^Message-ID:\s*(<[^>]+>)/im)![1];
  return { contact, enrollmentId: enrolled.enrollmentId, messageId };
}

function reply(from: string, inReplyTo: string, to: string): string {
  return [`From: <${from}>`, `To: ${to}`, "Subject: Re: Step 1", `Message-ID: <${randomUUID()}@client.test>`, `In-Reply-To: ${inReplyTo}`, "", "Yes, let's talk.", ""].join("\r\n");
}

const statusOf = async (enrollmentId: string) => (await db.enrollment.findUniqueOrThrow({ where: { id: enrollmentId } })).status;
const stateOf = (id: string) => db.mailbox.findUniqueOrThrow({ where: { id }, select: { messagesRead: true, repliesMatched: true, bouncesMatched: true, lastError: true, lastReadAt: true } });

describe("two senders' mailboxes", () => {
  it("each is read on its own: a reply in each is found, and each keeps its own state", async () => {
    const toA = await sentStepOne(senderA.id);
    const toB = await sentStepOne(senderB.id);
    await imapA.append(reply(toA.contact.email, toA.messageId, "sales@example.test"));
    await imapB.append(reply(toB.contact.email, toB.messageId, "support@example.test"));
    await imapB.append(reply("stranger@example.test", "<unknown@elsewhere.test>", "support@example.test"));

    expect(await readMailbox(db, { mailboxId: box.a })).toMatchObject({ outcome: "read", messages: 1, replies: 1 });
    expect(await statusOf(toA.enrollmentId)).toBe("replied");
    // B's mailbox has not been read yet: its reply is still waiting there.
    expect(await statusOf(toB.enrollmentId)).toBe("active");

    expect(await readMailbox(db, { mailboxId: box.b })).toMatchObject({ outcome: "read", messages: 2, replies: 1 });
    expect(await statusOf(toB.enrollmentId)).toBe("replied");
    expect(await stateOf(box.a)).toMatchObject({ messagesRead: 1, repliesMatched: 1, lastError: null });
    expect(await stateOf(box.b)).toMatchObject({ messagesRead: 2, repliesMatched: 1, lastError: null });

    // Nothing new: each cursor is past its own mail.
    expect(await readMailbox(db, { mailboxId: box.a })).toMatchObject({ outcome: "read", messages: 0 });
    expect(await readMailbox(db, { mailboxId: box.b })).toMatchObject({ outcome: "read", messages: 0 });
  });

  it("a reply to sender B's mail that arrives in sender A's mailbox still ends B's enrollment", async () => {
    const toB = await sentStepOne(senderB.id);
    await imapA.append(reply(toB.contact.email, toB.messageId, "sales@example.test"));
    expect(await readMailbox(db, { mailboxId: box.a })).toMatchObject({ outcome: "read", replies: 1 });
    expect(await db.enrollment.findUniqueOrThrow({ where: { id: toB.enrollmentId } })).toMatchObject({ status: "replied", exitReason: "replied" });
  });

  it("a failing mailbox does not stop the other: it records its error, the other reads its reply", async () => {
    await saveMailbox(db, { senderId: senderA.id, ...settingsOf(imapA, "wrong-password") });
    const toB = await sentStepOne(senderB.id);
    await imapB.append(reply(toB.contact.email, toB.messageId, "support@example.test"));

    // Every mailbox is read, as the cron's fan-out does, whatever the others' outcome.
    expect((await mailboxesToRead(db)).sort()).toEqual([box.a, box.b].sort());
    const outcomes = [];
    for (const mailboxId of await mailboxesToRead(db)) outcomes.push({ mailboxId, result: await readMailbox(db, { mailboxId }) });
    expect(outcomes.find((o) => o.mailboxId === box.a)!.result).toMatchObject({ outcome: "failed", error: expect.stringMatching(/refused the user name or password/) });
    expect(outcomes.find((o) => o.mailboxId === box.b)!.result).toMatchObject({ outcome: "read", replies: 1 });
    expect(await statusOf(toB.enrollmentId)).toBe("replied");

    expect((await stateOf(box.a)).lastError).toMatch(/refused the user name or password/);
    expect(await stateOf(box.b)).toMatchObject({ lastError: null, repliesMatched: 1 });
    const listed = await listMailboxes(db);
    expect(listed.map((e) => [e.senderId, e.mailbox?.lastError ?? null])).toEqual([
      [senderA.id, expect.stringMatching(/refused/)],
      [senderB.id, null],
    ]);
  });

  it("Test connection and Disconnect act on the picked sender's mailbox only", async () => {
    await saveMailbox(db, { senderId: senderA.id, ...settingsOf(imapA, "wrong-password") });
    expect(await testMailboxConnection(db, { senderId: senderA.id })).toEqual({ ok: false, error: expect.stringMatching(/refused the user name or password/) });
    expect(await testMailboxConnection(db, { senderId: senderB.id })).toMatchObject({ ok: true, folder: "INBOX" });

    expect(await removeMailbox(db, { senderId: senderA.id })).toEqual({ removed: true });
    expect(await db.mailbox.findMany({ select: { id: true } })).toEqual([{ id: box.b }]);
    expect(await testMailboxConnection(db, { senderId: senderA.id })).toEqual({ ok: false, error: "No mailbox is connected for this sender yet." });
    expect(await readMailbox(db, { mailboxId: box.a })).toEqual({ outcome: "not_configured" });
  });

  it("saving one sender's mailbox leaves the other's settings and cursor alone", async () => {
    const before = await db.mailbox.findUniqueOrThrow({ where: { id: box.b } });
    await saveMailbox(db, { senderId: senderA.id, ...settingsOf(imapA), host: "localhost" });
    expect(await db.mailbox.findUniqueOrThrow({ where: { id: box.a } })).toMatchObject({ host: "localhost", lastSeenUid: 0n, uidValidity: null });
    expect(await db.mailbox.findUniqueOrThrow({ where: { id: box.b } })).toMatchObject({ host: before.host, lastSeenUid: before.lastSeenUid, uidValidity: before.uidValidity, secretEncrypted: before.secretEncrypted });
  });

  it("a sender that no longer exists gets no mailbox", async () => {
    await expect(saveMailbox(db, { senderId: randomUUID(), ...settingsOf(imapA) })).rejects.toMatchObject({ code: "not_found" });
    expect(await db.mailbox.count()).toBe(2);
  });

  it("a sender with a mailbox cannot be deleted until the mailbox is disconnected", async () => {
    await expect(deleteSender(db, { senderId: senderA.id })).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/connected mailbox/) });
    expect(await db.sender.count({ where: { id: senderA.id } })).toBe(1);
    await removeMailbox(db, { senderId: senderA.id });
    expect(await deleteSender(db, { senderId: senderA.id })).toEqual({ deleted: true });
  });
});

describe("the mailbox without a sender", () => {
  it("is listed with the senders' and read like theirs; at most one exists", async () => {
    const legacy = await saveMailbox(db, { senderId: null, ...settingsOf(imapA) });
    expect((await listMailboxes(db)).map((e) => [e.senderId, e.mailbox?.id ?? null])).toEqual([
      [senderA.id, box.a],
      [senderB.id, box.b],
      [null, legacy.id],
    ]);
    expect(await readMailbox(db, { mailboxId: legacy.id })).toMatchObject({ outcome: "read" });
    // A second save for "no sender" updates the same row.
    expect((await saveMailbox(db, { senderId: null, ...settingsOf(imapB) })).id).toBe(legacy.id);
    await expect(db.mailbox.create({ data: { host: "x.test", port: 993, username: "u", secretEncrypted: "x" } })).rejects.toThrow(/mailbox_one_unattached|Unique constraint/);
  });

  it("the migration gives the mailbox from before senders to the default sender", async () => {
    await db.mailbox.deleteMany();
    await db.mailbox.create({ data: { id: "default", host: "imap.example.test", port: 993, username: "u", secretEncrypted: "x" } });
    const sql = fs.readFileSync("prisma/migrations/20261206145610_mailbox_per_sender/migration.sql", "utf8");
    const attach = /UPDATE "Mailbox"[^;]+;/.exec(sql)![0];

    // No default sender: it stays the installation's.
    await db.$executeRawUnsafe(attach);
    expect(await db.mailbox.findUniqueOrThrow({ where: { id: "default" } })).toMatchObject({ senderId: null });
    await db.sender.update({ where: { id: senderB.id }, data: { isDefault: true } });
    await db.$executeRawUnsafe(attach);
    expect(await db.mailbox.findUniqueOrThrow({ where: { id: "default" } })).toMatchObject({ senderId: senderB.id });
  });
});
