import { describe, expect, it } from "vitest";
import { isAutoReply } from "../../lib/replies/auto-reply";
import { messageIdsIn, parseInboundReply, stripAngleBrackets } from "../../lib/replies/normalize";

describe("isAutoReply", () => {
  it.each([
    [{ "Auto-Submitted": "auto-replied" }, "Re: hello"],
    [{ "auto-submitted": "auto-generated" }, "Re: hello"],
    [{ "X-Autoreply": "yes" }, "Re: hello"],
    [{ "X-Autorespond": "1" }, "Re: hello"],
    [{ Precedence: "bulk" }, "Re: hello"],
    [{ Precedence: "auto_reply" }, "Re: hello"],
    [{ Precedence: "Junk" }, "Re: hello"],
    [{ "X-Auto-Response-Suppress": "All" }, "Re: hello"],
    [{ "X-Auto-Response-Suppress": "DR, OOF, AutoReply" }, "Re: hello"],
    [{}, "Auto: I am away"],
    [{}, "Automatic reply: Re: hello"],
    [{}, "OUT OF OFFICE until Monday"],
    [{}, "Autoreply: hello"],
  ])("flags %o with subject %s", (headers, subject) => {
    expect(isAutoReply(headers, subject)).toBe(true);
  });

  it.each([
    [{ "Auto-Submitted": "no" }, "Re: hello"],
    [{ Precedence: "list" }, "Re: hello"],
    [{ "X-Auto-Response-Suppress": "DR, RN" }, "Re: hello"],
    [{}, "Re: Out of office plans?"],
    [undefined, "Thanks, let's talk"],
  ])("lets a real reply through: %o %s", (headers, subject) => {
    expect(isAutoReply(headers, subject)).toBe(false);
  });
});

describe("parseInboundReply", () => {
  it("validates the neutral shape and normalizes the sender", () => {
    const parsed = parseInboundReply({ from: "  Ada@Example.COM ", subject: "Re: hi", inReplyTo: "<e.s@x>" }, "generic");
    expect(parsed).toEqual({ ok: true, data: { from: "ada@example.com", subject: "Re: hi", inReplyTo: "<e.s@x>", headers: undefined, messageId: undefined } });
  });

  it("reports field errors for a bad body", () => {
    const parsed = parseInboundReply({ from: "not an email", headers: { a: 1 } }, "generic");
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(Object.keys(parsed.fieldErrors).sort()).toEqual(["from", "headers.a"]);
    expect(parseInboundReply("nope", "generic").ok).toBe(false);
  });

  it("takes In-Reply-To from the headers (any case) when not given", () => {
    const parsed = parseInboundReply({ from: "ada@example.com", headers: { "In-Reply-To": "<x.y@d>", "Message-ID": "<m@d>" } }, "generic");
    expect(parsed.ok && parsed.data).toMatchObject({ inReplyTo: "<x.y@d>", messageId: "<m@d>", headers: { "in-reply-to": "<x.y@d>" } });
  });

  it("adapts Postmark's inbound JSON", () => {
    const postmark = {
      From: "ignored@example.com",
      FromName: "Ada",
      FromFull: { Email: "Ada@Example.com", Name: "Ada", MailboxHash: "" },
      To: "replies@stepwise.test",
      Subject: "Re: Step one",
      MessageID: "73e6d360-66eb-11e1-8e72-a8904824019b",
      TextBody: "Sounds good",
      Headers: [
        { Name: "In-Reply-To", Value: "<e1.s1@stepwise.test>" },
        { Name: "Message-ID", Value: "<CAF=abc@mail.gmail.com>" },
        { Name: "X-Spam-Status", Value: "No" },
      ],
    };
    const parsed = parseInboundReply(postmark, "postmark");
    expect(parsed.ok && parsed.data).toMatchObject({
      from: "ada@example.com",
      to: "replies@stepwise.test",
      subject: "Re: Step one",
      inReplyTo: "<e1.s1@stepwise.test>",
      messageId: "<CAF=abc@mail.gmail.com>",
    });
  });

  it("falls back to Postmark's From (with a display name) and reports a missing sender", () => {
    const parsed = parseInboundReply({ From: "Ada <ada@example.com>", Subject: "Re" }, "postmark");
    expect(parsed.ok && parsed.data.from).toBe("ada@example.com");
    const missing = parseInboundReply({ Subject: "Re" }, "postmark");
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.fieldErrors).toHaveProperty("from");
  });
});

describe("Message-IDs", () => {
  it("strip angle brackets and split lists", () => {
    expect(stripAngleBrackets(" <a.b@c> ")).toBe("a.b@c");
    expect(messageIdsIn("<a.b@c> <d.e@f>")).toEqual(["a.b@c", "d.e@f"]);
    expect(messageIdsIn("a.b@c")).toEqual(["a.b@c"]);
    expect(messageIdsIn(undefined)).toEqual([]);
    expect(messageIdsIn("two words")).toEqual([]);
  });
});
