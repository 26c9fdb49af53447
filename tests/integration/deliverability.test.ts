/**
 * Deliverability judged by a real spam filter: every kind of message the
 * send path produces (a short plain step, one with links, merge tags and
 * custom attributes, a DKIM-signed one; each with the unsubscribe footer and
 * List-Unsubscribe headers) goes through sendStep over SMTP to a loopback
 * server, and Debian's SpamAssassin scores the bytes that arrived, with its
 * shipped rules and no network tests. Each must score at most 0.5; the test
 * prints each score and the rules that hit. DKIM-signed mail must verify
 * under an independent verifier (tests/support/dkim-verify.ts) against the
 * key the test configured, and stop verifying when a byte changes.
 */
import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setTransport } from "../../lib/email/transports";
import { SmtpTransport } from "../../lib/email/transports/smtp";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { sendStep } from "../../lib/sequences/run-step";
import { resetDb, testDb } from "../support/db";
import { verifyDkim } from "../support/dkim-verify";
import { makeContact, makeSequence } from "../support/factories";
import { plannedSend } from "../support/plan";
import { startSmtpServer, type LoopbackSmtp } from "../support/smtp-server";
import { spamScores, type SpamVerdict } from "../support/spamassassin";

process.env.STEPWISE_SIGNING_SECRET ??= "deliverability-signing-secret-0123";

const db = testDb();
const MAX_SCORE = 0.5;
const mailEnv = {
  APP_URL: "https://mail.acme.example",
  MAIL_FROM: "Sam at Acme <sam@acme.example>",
  MAIL_SENDER_NAME: "Acme",
  SENDER_POSTAL_ADDRESS: "Acme Inc, 1 Main Street, Springfield 00000, USA",
};
const saved = Object.fromEntries(Object.keys(mailEnv).map((k) => [k, process.env[k]]));
const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const dkimEnv = { DKIM_DOMAIN: "acme.example", DKIM_SELECTOR: "stepwise2026", DKIM_PRIVATE_KEY: privateKey.export({ type: "pkcs8", format: "pem" }).toString() };

// The measured case of issue 21: a plain 10-line step scored 1.0 (LIST_PARTIAL_SHORT_MSG).
const KINDS: { kind: string; subject: string; body: string; signed?: boolean }[] = [
  {
    kind: "plain text, 10 lines",
    subject: "Checking in, {{firstName}}",
    body: [
      "Hi {{firstName}},",
      "",
      "Thanks for signing up last week.",
      "I wanted to check in and see how the first few days went.",
      "If anything was confusing, just reply to this email and tell me.",
      "We read every answer and usually reply the same day.",
      "",
      "Talk soon,",
      "Sam",
      "Customer success at Acme",
    ].join("\n"),
  },
  {
    kind: "with links",
    subject: "Three onboarding ideas for {{company|your team}}",
    body: [
      "Hi {{firstName|there}},",
      "",
      "I wrote up three ideas from teams like yours: https://acme.example/blog/onboarding-ideas",
      "The setup guide is here if you want to try them: https://docs.acme.example/setup",
      "",
      "Would a short call next week help?",
      "",
      "Best,",
      "Sam",
    ].join("\n"),
  },
  {
    kind: "merge tags and attributes, several paragraphs",
    subject: "{{firstName}}, your {{plan|trial}} at {{company}}",
    body: [
      "Hello {{firstName}} {{lastName}},",
      "",
      "Your {{plan|trial}} for {{company}} has been running for two weeks now, and I noticed the team has already set up its first projects.",
      "",
      "Most teams get the most out of the next week by inviting the colleagues who review the work, and by connecting the calendar so that deadlines show up where people already look.",
      "",
      "If you would like a hand with either, reply with a time that suits you and I will set it up.",
      "",
      "Sam",
    ].join("\n"),
  },
  { kind: "plain text, DKIM-signed", subject: "Checking in, {{firstName}}", body: "Hi {{firstName}},\n\nJust checking in: how are the first days going?\n\nSam", signed: true },
];

let smtp: LoopbackSmtp;
const sent: { kind: string; signed: boolean; messageId: string; raw: string }[] = [];
let verdicts: Map<string, SpamVerdict>;

beforeAll(async () => {
  Object.assign(process.env, mailEnv);
  await resetDb();
  smtp = await startSmtpServer({ disabledCommands: ["STARTTLS"] });
  const contact = await makeContact(db, { email: "grace@example.com", firstName: "Grace", lastName: "Hopper", attributes: { company: "Hopper Labs", plan: "Team plan" } });
  for (const { kind, subject, body, signed = false } of KINDS) {
    setTransport(new SmtpTransport(smtp.url, signed ? { ...process.env, ...dkimEnv } : process.env));
    const sequence = await makeSequence(db, { steps: [{ subject, body, delayAmount: 0 }] });
    const enrolled = await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
    if (enrolled.outcome !== "enrolled") throw new Error(enrolled.outcome);
    const outcome = await sendStep(db, await plannedSend(db, enrolled.enrollmentId));
    if (outcome.outcome !== "sent") throw new Error(`${kind}: ${JSON.stringify(outcome)}`);
    const { messageId } = await db.stepSend.findFirstOrThrow({ where: { enrollmentId: enrolled.enrollmentId }, select: { messageId: true } });
    sent.push({ kind, signed, messageId: messageId!, raw: smtp.accepted[smtp.accepted.length - 1].raw });
  }
  verdicts = await spamScores(sent.map((s) => s.raw));
}, 180_000);

afterAll(async () => {
  setTransport(null);
  await smtp?.close();
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe("SpamAssassin (shipped rules, no network tests)", () => {
  it.each(KINDS.map((k) => [k.kind]))(`%s scores at most ${MAX_SCORE}`, (kind) => {
    const message = sent.find((s) => s.kind === kind)!;
    const verdict = verdicts.get(message.messageId);
    expect(verdict, `no score for ${message.messageId}`).toBeDefined();
    const rules = verdict!.rules.map((r) => `${r.name} ${r.points}`).join(", ");
    console.log(`[spamassassin] ${kind}: ${verdict!.score} (${rules})`);
    expect(verdict!.score, rules).toBeLessThanOrEqual(MAX_SCORE);
  });

  it("every message declares itself list mail completely: List-Id with List-Unsubscribe", () => {
    for (const { raw } of sent) {
      const headers = raw.slice(0, raw.indexOf("\r\n\r\n")).replace(/\r\n[ \t]+/g, " ");
      expect(headers).toMatch(/^List-Unsubscribe: <https:\/\/mail\.acme\.example\/api\/unsubscribe\/[^>]+>$/m);
      expect(headers).toMatch(/^List-Id: "Sam at Acme" <stepwise\.acme\.example>$/im);
    }
  });
});

describe("DKIM", () => {
  it("a signed message verifies against the configured key, for the configured domain and selector, From signed", () => {
    const message = sent.find((s) => s.signed)!;
    const verdict = verifyDkim(message.raw, publicKey);
    expect(verdict).toMatchObject({ ok: true, domain: "acme.example", selector: "stepwise2026" });
    expect(verdict.ok && verdict.signedHeaders.map((h) => h.toLowerCase())).toEqual(expect.arrayContaining(["from", "subject", "list-unsubscribe", "list-id", "message-id"]));
  });

  it("does not verify with another key, or once the body or a signed header changed", () => {
    const message = sent.find((s) => s.signed)!;
    expect(verifyDkim(message.raw, generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey)).toEqual({ ok: false, reason: "signature does not verify" });
    expect(verifyDkim(message.raw.replace("Just checking in", "Just checking on"), publicKey)).toEqual({ ok: false, reason: "body hash mismatch" });
    expect(verifyDkim(message.raw.replace(/^Subject: .*/m, "Subject: You won"), publicKey)).toEqual({ ok: false, reason: "signature does not verify" });
  });

  it("unsigned without a key; half a configuration is refused with what is missing", () => {
    expect(verifyDkim(sent[0].raw, publicKey)).toEqual({ ok: false, reason: "no DKIM-Signature header" });
    expect(() => new SmtpTransport(smtp.url, { DKIM_DOMAIN: "acme.example" })).toThrow("DKIM signing is half configured: DKIM_SELECTOR, DKIM_PRIVATE_KEY not set");
    expect(() => new SmtpTransport(smtp.url, { ...dkimEnv, DKIM_PRIVATE_KEY: "not a key" })).toThrow("DKIM_PRIVATE_KEY is not a PEM private key");
  });

  it("the key may come from DKIM_PRIVATE_KEY_FILE, or as one line with \\n escapes", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "stepwise-dkim-")), "dkim.pem");
    fs.writeFileSync(file, dkimEnv.DKIM_PRIVATE_KEY, { mode: 0o600 });
    const oneLine = dkimEnv.DKIM_PRIVATE_KEY.replace(/\n/g, "\\n");
    for (const [selector, keyEnv] of [["fromfile", { DKIM_PRIVATE_KEY_FILE: file }], ["oneline", { DKIM_PRIVATE_KEY: oneLine }]] as const) {
      await new SmtpTransport(smtp.url, { DKIM_DOMAIN: "acme.example", DKIM_SELECTOR: selector, ...keyEnv }).deliver({
        from: mailEnv.MAIL_FROM,
        to: "ada@example.test",
        subject: "Hello",
        text: "Hi Ada",
        html: "<p>Hi Ada</p>",
        headers: {},
        messageId: `${selector}@acme.example`,
        idempotencyKey: selector,
      });
      expect(verifyDkim(smtp.accepted[smtp.accepted.length - 1].raw, publicKey)).toMatchObject({ ok: true, selector });
    }
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
});
