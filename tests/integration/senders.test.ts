/**
 * Sender identities: a sequence's mail is from its sender (else the default
 * sender, else MAIL_FROM as before senders existed), read at every send,
 * through the real send path into the mail catcher and over SMTP; the
 * preview and "send a test" agree; a sender in use cannot be deleted; one
 * default at most, by the database; bad input is a field error.
 */
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { mailConfig } from "../../lib/email/config";
import { previewStep } from "../../lib/email/step-preview";
import { sendTestStep } from "../../lib/email/test-send";
import { setTransport } from "../../lib/email/transports";
import { CatcherTransport } from "../../lib/email/transports/catcher";
import { SmtpTransport } from "../../lib/email/transports/smtp";
import { isAppError } from "../../lib/errors";
import { createSender, deleteSender, setDefaultSender, updateSender } from "../../lib/senders/manage";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { sendStep } from "../../lib/sequences/run-step";
import { updateSequenceSettings } from "../../lib/sequences/sequence-mutations";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { dataFingerprint } from "../support/fault-db";
import { makeContact, makeSequence } from "../support/factories";
import { plannedSend } from "../support/plan";
import { startSmtpServer } from "../support/smtp-server";
import { testDatabaseUrl } from "../support/database-url";

vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
process.env.DATABASE_URL ??= testDatabaseUrl();
process.env.STEPWISE_SIGNING_SECRET ??= "senders-test-signing-secret-0123456";

const db = testDb();
const events = recordEvents();
const by = { userId: null };

beforeEach(async () => {
  await resetDb();
  setTransport(new CatcherTransport(db));
});
afterAll(() => {
  setTransport(null);
  events.restore();
});

/** Enrolls a new contact and sends the step it waits on; returns what the catcher caught for it. */
async function enrollAndSend(sequenceId: string) {
  const contact = await makeContact(db, { firstName: "Ada" });
  const result = await enrollContact(db, { contactId: contact.id, sequenceId, source: "manual" });
  if (result.outcome !== "enrolled") throw new Error(result.outcome);
  return { enrollmentId: result.enrollmentId, caught: await sendNext(result.enrollmentId) };
}

async function sendNext(enrollmentId: string) {
  const input = await plannedSend(db, enrollmentId);
  expect(await sendStep(db, input)).toMatchObject({ outcome: "sent" });
  return db.caughtMessage.findFirstOrThrow({ where: { enrollmentId, stepId: input.stepId } });
}

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message, fieldErrors: error.fieldErrors };
    throw error;
  }
  throw new Error("expected a refusal");
}

const SALES = { fromName: "Sam at Acme", fromAddress: "sam@acme.example", replyTo: "inbox@acme.example" };

describe("delivery uses the sequence's sender", () => {
  it("a sequence with sender S is delivered from S, with S's reply-to and S's name in the footer", async () => {
    const { id: senderId } = await createSender(db, by, SALES);
    const sequence = await makeSequence(db, { senderId, steps: [{ delayAmount: 0, delayUnit: "minutes" }] });
    const { caught } = await enrollAndSend(sequence.id);
    expect(caught.fromAddress).toBe("Sam at Acme <sam@acme.example>");
    expect(caught.headers).toMatchObject({ "Reply-To": "inbox@acme.example" });
    expect(caught.text).toContain("in touch with Sam at Acme.");
    expect(caught.html).toContain("in touch with Sam at Acme.");
  });

  it("the same on the claim's step-by-step path (a daily cap), and a name with specials is quoted", async () => {
    const { id: senderId } = await createSender(db, by, { fromName: "Acme, Inc.", fromAddress: "hello@acme.example" });
    const sequence = await makeSequence(db, { senderId, dailyCap: 100, steps: [{ delayAmount: 0, delayUnit: "minutes" }] });
    const { caught } = await enrollAndSend(sequence.id);
    expect(caught.fromAddress).toBe('"Acme, Inc." <hello@acme.example>');
    expect(caught.headers).not.toHaveProperty("Reply-To");
  });

  it("a sequence without a sender sends as MAIL_FROM while there is no default, then as the default sender", async () => {
    const sequence = await makeSequence(db, { steps: [{ delayAmount: 0, delayUnit: "minutes" }] });
    const { id: senderId } = await createSender(db, by, SALES);
    const first = await enrollAndSend(sequence.id);
    expect(first.caught.fromAddress).toBe(mailConfig().from);
    expect(first.caught.text).toContain(`in touch with ${mailConfig().senderName}.`);
    expect(first.caught.headers).not.toHaveProperty("Reply-To");

    await setDefaultSender(db, { senderId });
    const second = await enrollAndSend(sequence.id);
    expect(second.caught.fromAddress).toBe("Sam at Acme <sam@acme.example>");
    expect(second.caught.headers).toMatchObject({ "Reply-To": "inbox@acme.example" });
  });

  it("a sender changed between steps (another sender picked, then the sender edited) changes the next step's From", async () => {
    const a = await createSender(db, by, SALES);
    const b = await createSender(db, by, { fromName: "Bea", fromAddress: "bea@acme.example" });
    const steps = [0, 0, 0].map(() => ({ delayAmount: 0, delayUnit: "minutes" as const }));
    const sequence = await makeSequence(db, { senderId: a.id, steps });
    const { enrollmentId, caught: first } = await enrollAndSend(sequence.id);
    expect(first.fromAddress).toBe("Sam at Acme <sam@acme.example>");

    await updateSequenceSettings(db, { sequenceId: sequence.id, name: sequence.name, senderId: b.id });
    const second = await sendNext(enrollmentId);
    expect(second.fromAddress).toBe("Bea <bea@acme.example>");
    expect(second.text).toContain("in touch with Bea.");

    await updateSender(db, by, { senderId: b.id, fromName: "Bea Smith", fromAddress: "bea.smith@acme.example", replyTo: "team@acme.example" });
    const third = await sendNext(enrollmentId);
    expect(third.fromAddress).toBe("Bea Smith <bea.smith@acme.example>");
    expect(third.headers).toMatchObject({ "Reply-To": "team@acme.example" });
  });

  it("over SMTP: the From and Reply-To headers and the envelope sender are the sequence's sender's", async () => {
    const smtp = await startSmtpServer({ disabledCommands: ["STARTTLS"] });
    try {
      setTransport(new SmtpTransport(smtp.url));
      const { id: senderId } = await createSender(db, by, SALES);
      const sequence = await makeSequence(db, { senderId, steps: [{ delayAmount: 0, delayUnit: "minutes" }] });
      const contact = await makeContact(db);
      const enrolled = await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
      if (enrolled.outcome !== "enrolled") throw new Error(enrolled.outcome);
      expect(await sendStep(db, await plannedSend(db, enrolled.enrollmentId))).toMatchObject({ outcome: "sent" });
      expect(smtp.accepted).toHaveLength(1);
      const raw = smtp.accepted[0].raw.replace(/\r\n[ \t]+/g, " ");
      expect(raw).toMatch(/^From: Sam at Acme <sam@acme\.example>\r?$/m);
      expect(raw).toMatch(/^Reply-To: inbox@acme\.example\r?$/m);
      expect(smtp.accepted[0].from).toBe("sam@acme.example");
    } finally {
      setTransport(null);
      await smtp.close();
    }
  });
});

describe("the preview and send a test", () => {
  it("are from the sequence's sender (the default without one)", async () => {
    const { id: senderId } = await createSender(db, by, SALES);
    const own = await makeSequence(db, { senderId });
    const other = await makeSequence(db);
    const preview = await previewStep(db, { subject: "Hi", body: "Hello", sequenceId: own.id });
    expect(preview.sender).toMatchObject({ from: "Sam at Acme <sam@acme.example>", replyTo: "inbox@acme.example" });
    expect(preview.message.text).toContain("in touch with Sam at Acme.");
    expect((await previewStep(db, { subject: "Hi", body: "Hello", sequenceId: other.id })).sender.from).toBe(mailConfig().from);

    const user = { id: "user-1", email: "me@example.com" };
    await sendTestStep(db, { subject: "Hi", body: "Hello", sequenceId: own.id }, user);
    const caught = await db.caughtMessage.findFirstOrThrow({ where: { toAddress: "me@example.com" } });
    expect(caught.fromAddress).toBe("Sam at Acme <sam@acme.example>");
    expect(caught.headers).toMatchObject({ "Reply-To": "inbox@acme.example" });
  });
});

describe("managing senders", () => {
  it("a sender a sequence uses cannot be deleted: the refusal names the sequence and changes nothing", async () => {
    const { id: senderId } = await createSender(db, by, SALES);
    await makeSequence(db, { name: "Welcome series", senderId });
    const before = await dataFingerprint(db);
    const refused = await refusal(deleteSender(db, { senderId }));
    expect(refused.code).toBe("conflict");
    expect(refused.message).toContain('"Welcome series"');
    expect(await dataFingerprint(db)).toEqual(before);

    // Nor the default (sequences without a sender send as it).
    const other = await createSender(db, by, { fromName: "Bea", fromAddress: "bea@acme.example" });
    await setDefaultSender(db, { senderId: other.id });
    expect((await refusal(deleteSender(db, { senderId: other.id }))).code).toBe("conflict");
    await setDefaultSender(db, { senderId: null });
    await deleteSender(db, { senderId: other.id });
    expect(await db.sender.count()).toBe(1);
  });

  it("a sequence cannot pick a sender that no longer exists: a field error", async () => {
    const sequence = await makeSequence(db);
    const refused = await refusal(updateSequenceSettings(db, { sequenceId: sequence.id, name: sequence.name, senderId: "00000000-0000-4000-8000-000000000000" }));
    expect(refused).toMatchObject({ code: "validation", fieldErrors: { senderId: [expect.stringContaining("no longer exists")] } });
    expect((await db.sequence.findUniqueOrThrow({ where: { id: sequence.id } })).senderId).toBeNull();
  });

  it("concurrent set-default calls leave exactly one default", async () => {
    const senders = await Promise.all([...Array(6).keys()].map((i) => createSender(db, by, { fromName: `S${i}`, fromAddress: `s${i}@acme.example` })));
    const results = await Promise.allSettled(senders.map((s) => setDefaultSender(db, { senderId: s.id })));
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    expect(await db.sender.count({ where: { isDefault: true } })).toBe(1);
  });

  it("the database refuses a second default, whoever writes it", async () => {
    const a = await createSender(db, by, SALES);
    const b = await createSender(db, by, { fromName: "Bea", fromAddress: "bea@acme.example" });
    await db.sender.update({ where: { id: a.id }, data: { isDefault: true } });
    await expect(db.sender.update({ where: { id: b.id }, data: { isDefault: true } })).rejects.toMatchObject({ code: "P2002" });
    expect(await db.sender.count({ where: { isDefault: true } })).toBe(1);
  });

  it("bad input is a field error and writes nothing: a line break in the name, a bad address, a bad reply-to", async () => {
    const cases = [
      [{ ...SALES, fromName: "Sam\r\nBcc: all@victims.example" }, "fromName"],
      [{ ...SALES, fromName: "Sam\n" }, "fromName"],
      [{ ...SALES, fromName: 'Sam" <evil@x.example>' }, "fromName"],
      [{ ...SALES, fromAddress: "not an address" }, "fromAddress"],
      [{ ...SALES, fromAddress: "sam@acme.example\r\nBcc: x@y.example" }, "fromAddress"],
      [{ ...SALES, replyTo: "nope" }, "replyTo"],
    ] as const;
    for (const [input, field] of cases) {
      const refused = await refusal(createSender(db, by, input));
      expect(refused.code).toBe("validation");
      expect(Object.keys(refused.fieldErrors ?? {})).toEqual([field]);
    }
    expect(await db.sender.count()).toBe(0);
    const { id } = await createSender(db, by, SALES);
    const refused = await refusal(updateSender(db, by, { senderId: id, ...SALES, fromName: "Sam\rX" }));
    expect(refused.fieldErrors).toHaveProperty("fromName");
    expect(await db.sender.findUniqueOrThrow({ where: { id } })).toMatchObject(SALES);
  });
});
