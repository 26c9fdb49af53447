/**
 * End to end on real servers: the app sends step 1 over SMTP (loopback
 * smtp-server), the contact's reply lands in the mailbox (dovecot), the
 * Inngest cron reads it, and the run ends: step 2 is never sent.
 */
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { getDb } from "../../lib/db/client";
import { setTransport } from "../../lib/email/transports";
import { SmtpTransport } from "../../lib/email/transports/smtp";
import { saveMailbox } from "../../lib/mailbox/settings";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { resetDb } from "../support/db";
import { startDovecot, type Dovecot } from "../support/dovecot";
import { makeContact, makeSequence } from "../support/factories";
import { startHarness, type Harness } from "../support/run-harness";
import { startSmtpServer, type LoopbackSmtp } from "../support/smtp-server";

// Polling only here: each cron run returns after its read (IDLE is tested in tests/integration/mailbox-reader.test.ts).
process.env.MAILBOX_IDLE_SECONDS = "0";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let h: Harness;
let imap: Dovecot;
let smtp: LoopbackSmtp;
let mailboxId: string;
const db = () => getDb();

beforeAll(async () => {
  imap = await startDovecot();
  smtp = await startSmtpServer({ disabledCommands: ["STARTTLS"] });
}, 60_000);
afterAll(async () => {
  await smtp?.close();
  await imap?.stop();
});
beforeEach(async () => {
  h = await startHarness();
  setTransport(new SmtpTransport(smtp.url));
  await resetDb(db());
  await db().mailbox.deleteMany();
  ({ id: mailboxId } = await saveMailbox(db(), { senderId: null, host: imap.host, port: imap.port, tls: false, username: imap.user, authMethod: "password", secret: imap.password, folder: "INBOX" }));
  await h.executor.advance(MINUTE); // the first read: the cursor is at the folder's end
  smtp.accepted.length = 0;
});
afterEach(async () => {
  await h.stop();
});

it("a reply read from the mailbox by the cron ends the run: step 2 is never sent", async () => {
  const contact = await makeContact(db());
  const sequence = await makeSequence(db(), { exitOnReply: true, steps: [{ subject: "One", delayAmount: 0, delayUnit: "minutes" }, { subject: "Two", delayAmount: 1, delayUnit: "days" }] });
  await enrollContact(db(), { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
  await h.executor.runUntilIdle();
  expect(smtp.accepted.map((m) => m.to)).toEqual([[contact.email]]);
  const messageId = smtp.accepted[0].raw.replace(/\r\n[ \t]+/g, " ").match(/^Message-ID:\s*(<[^>]+>)/im)![1];

  await imap.append(
    [`From: <${contact.email}>`, "To: sender@example.test", "Subject: Re: One", `Message-ID: <${randomUUID()}@client.test>`, `In-Reply-To: ${messageId}`, "", "Yes please.", ""].join("\r\n"),
  );
  await h.executor.advance(MINUTE);
  expect(await db().enrollment.findFirstOrThrow({ where: { contactId: contact.id } })).toMatchObject({ status: "replied", exitReason: "replied" });

  await h.executor.advance(2 * DAY);
  expect(smtp.accepted).toHaveLength(1);
  expect(await db().stepSend.count({ where: { enrollment: { contactId: contact.id } } })).toBe(1);
  const mailbox = await db().mailbox.findUniqueOrThrow({ where: { id: mailboxId } });
  expect(mailbox).toMatchObject({ repliesMatched: 1, lastError: null });
  expect(h.executor.runs({ functionId: "stepwise-read-mailbox" }).length).toBeGreaterThanOrEqual(2);
});

it("a cron asks for a read of every mailbox each minute; each mailbox is read by its own run, one at a time per mailbox", () => {
  const fanOut = h.executor.functions().find((f) => f.id === "stepwise-read-mailboxes");
  expect(fanOut?.triggers).toEqual([{ cron: "* * * * *" }]);
  expect(JSON.stringify(fanOut?.concurrency)).toContain('"limit":1');
  const reader = h.executor.functions().find((f) => f.id === "stepwise-read-mailbox");
  expect(reader?.triggers).toEqual([{ event: "stepwise/mailbox.read" }]);
  expect(reader?.concurrency).toEqual({ key: "event.data.mailboxId", limit: 1 });
});

it("two senders' mailboxes: each minute both are read in their own runs, and a failing one does not stop the other", async () => {
  const good = await db().sender.create({ data: { fromName: "Support", fromAddress: "support@example.test" } });
  const bad = await db().sender.create({ data: { fromName: "Sales", fromAddress: "sales@example.test" } });
  const failing = await saveMailbox(db(), { senderId: bad.id, host: imap.host, port: imap.port, tls: false, username: imap.user, authMethod: "password", secret: "wrong-password", folder: "INBOX" });
  // The installation's mailbox from beforeEach becomes the good sender's: disconnected, then connected for it.
  await db().mailbox.delete({ where: { id: mailboxId } });
  const working = await saveMailbox(db(), { senderId: good.id, host: imap.host, port: imap.port, tls: false, username: imap.user, authMethod: "password", secret: imap.password, folder: "INBOX" });
  await h.executor.advance(MINUTE); // both read once: the good cursor is at the folder's end

  const contact = await makeContact(db());
  const sequence = await makeSequence(db(), { exitOnReply: true, senderId: good.id, steps: [{ subject: "One", delayAmount: 0, delayUnit: "minutes" }, { subject: "Two", delayAmount: 1, delayUnit: "days" }] });
  await enrollContact(db(), { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
  await h.executor.runUntilIdle();
  const messageId = smtp.accepted[0].raw.replace(/\r\n[ \t]+/g, " ").match(/^Message-ID:\s*(<[^>]+>)/im)![1];
  await imap.append([`From: <${contact.email}>`, "To: support@example.test", "Subject: Re: One", `Message-ID: <${randomUUID()}@client.test>`, `In-Reply-To: ${messageId}`, "", "Yes please.", ""].join("\r\n"));

  const before = h.executor.runs({ functionId: "stepwise-read-mailbox" }).length;
  await h.executor.advance(MINUTE);
  expect(await db().enrollment.findFirstOrThrow({ where: { contactId: contact.id } })).toMatchObject({ status: "replied", exitReason: "replied" });
  const runs = h.executor.runs({ functionId: "stepwise-read-mailbox" }).slice(before);
  const read = (id: string) => runs.filter((r) => r.event.data.mailboxId === id);
  expect(read(working.id).map((r) => r.status)).toEqual(["completed"]);
  expect(read(failing.id).map((r) => r.status)).toEqual(["completed"]);
  expect(await db().mailbox.findUniqueOrThrow({ where: { id: working.id } })).toMatchObject({ repliesMatched: 1, lastError: null });
  expect((await db().mailbox.findUniqueOrThrow({ where: { id: failing.id } })).lastError).toMatch(/refused the user name or password/);
});
