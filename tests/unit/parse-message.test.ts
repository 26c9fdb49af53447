/**
 * parseMessage reads the header block with libmime and mailparser's address
 * parser instead of running simpleParser. These hold it to what simpleParser
 * reads from the same messages, field by field, so the switch changed how
 * fast, not what.
 */
import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { parseMessage } from "../../lib/mailbox/parse-message";
import { deliveryReport, replyMessage } from "../support/mail-messages";

const crlf = (lines: string[]) => Buffer.from([...lines, "", "Body line one.", " indented body line", ""].join("\r\n"));

const messages: Record<string, Buffer> = {
  "a plain reply": Buffer.from(replyMessage({ from: "ada@example.com", inReplyTo: "<step-1@stepwise.test>" })),
  "encoded words, folded lines, repeated headers": crlf([
    "Received: from a by b; Mon, 05 Jan 2026 10:00:00 +0000",
    "Received: from c by d; Mon, 05 Jan 2026 09:59:00 +0000",
    "From: =?UTF-8?Q?Ad=C3=A1_Lovelace?= <Ada@Example.com>",
    "To: sender@example.test",
    "Subject: =?UTF-8?B?UmU6IFN0ZXAgMSDinJM=?=",
    "  continued",
    "Message-ID: <m-1@client.test>",
    "In-Reply-To: <step-1@stepwise.test>",
    "References: <first@stepwise.test>",
    "  <step-1@stepwise.test>",
    "Auto-Submitted: auto-replied",
    "Authentication-Results: mx.example.test; dkim=pass header.d=example.com",
    "Content-Type: text/plain; charset=utf-8",
  ]),
  "ids without brackets, a quoted display name with a comma": crlf([
    'From: "Lovelace, Ada" <ada@example.com>',
    "Subject: Re: hello",
    "Message-ID: bare-id@client.test",
    "In-Reply-To: step-2@stepwise.test",
    "References: first@stepwise.test step-2@stepwise.test",
  ]),
  "raw UTF-8 in headers (RFC 6532)": crlf(["From: Zoë <zoe@example.com>", "Subject: Re: café ☕", "Message-ID: <u@client.test>"]),
  "no From, no ids": crlf(["Subject: (nothing)", "X-Mailer: test"]),
  "a delivery report": Buffer.from(deliveryReport({ recipient: "gone@example.com", returnedMessageId: "<step-3@stepwise.test>", status: "5.1.1", action: "failed" })),
};

describe("parseMessage reads what simpleParser reads", () => {
  for (const [name, source] of Object.entries(messages)) {
    it(name, async () => {
      const ours = parseMessage(source);
      const theirs = await simpleParser(source);
      expect(ours.from).toBe(theirs.from?.value[0]?.address ?? null);
      expect(ours.subject).toBe(theirs.subject ?? "");
      expect(ours.messageId).toBe(theirs.messageId ?? null);
      expect(ours.inReplyTo).toBe(theirs.inReplyTo ?? null);
      const references = [theirs.references ?? []].flat().join(" ");
      expect(ours.referencedIds).toEqual([...idsIn(theirs.inReplyTo), ...idsIn(references).reverse()]);
      // The raw values, first of each name, unfolded, as the webhooks pass headers. mailparser keeps
      // raw lines as bytes (latin1); ours are read as UTF-8 (RFC 6532), so the bytes are compared.
      const firstLines = new Map<string, string>();
      for (const { key, line } of theirs.headerLines) if (!firstLines.has(key)) firstLines.set(key, line);
      for (const [key, line] of firstLines) {
        const raw = Buffer.from(line.slice(line.indexOf(":") + 1), "latin1").toString("utf8");
        expect(ours.headers[key]).toBe(raw.replace(/\r?\n[ \t]+/g, " ").trim());
      }
      expect(Object.keys(ours.headers).sort()).toEqual([...new Set(theirs.headerLines.map((h) => h.key))].sort());
    });
  }

  it("splits a delivery report into its recipients and the returned Message-ID", () => {
    const report = parseMessage(messages["a delivery report"]);
    expect(report.dsn).toEqual([
      { finalRecipient: "gone@example.com", originalRecipient: "gone@example.com", action: "failed", status: "5.1.1", diagnostic: "smtp; 550 5.1.1 User unknown" },
    ]);
    expect(report.returnedMessageIds).toEqual(["step-3@stepwise.test"]);
    expect(parseMessage(messages["a plain reply"]).dsn).toBeNull();
  });

  it("reads only the header block: a body line that looks like a header is not one", () => {
    const parsed = parseMessage(crlf(["From: ada@example.com", "Subject: hi"]));
    expect(parsed.headers["body line one."]).toBeUndefined();
    expect(Object.keys(parsed.headers).sort()).toEqual(["from", "subject"]);
  });
});

function idsIn(value: string | undefined): string[] {
  return [...(value ?? "").matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]);
}
