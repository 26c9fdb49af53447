import { describe, expect, it } from "vitest";
import { applyMergeTags, escapeHtml, renderStepMessage } from "../../lib/email/render";
import { createUnsubscribeToken, verifyUnsubscribeToken } from "../../lib/email/unsubscribe-token";

const contact = { email: "ada@example.com", firstName: "Ada", lastName: null, attributes: { company: "Analytical <Engines>", seats: 3 } };
const SECRET = "unit-test-secret-0123456789";

describe("merge tags", () => {
  it("fill built-in fields and custom attributes", () => {
    expect(applyMergeTags("Hi {{firstName}} at {{ company }} ({{seats}} seats), {{email}}", contact)).toBe(
      "Hi Ada at Analytical <Engines> (3 seats), ada@example.com",
    );
  });
  it("use the fallback for empty or unknown tags, else nothing", () => {
    expect(applyMergeTags("Hi {{lastName|friend}}, {{plan|free}} {{nothing}}!", contact)).toBe("Hi friend, free !");
    expect(applyMergeTags("Hi {{firstName|there}}", { ...contact, firstName: "  " })).toBe("Hi there");
  });
  it("escape substituted values when asked, leaving the template alone", () => {
    expect(applyMergeTags("<b>{{company}}</b>", contact, escapeHtml)).toBe("<b>Analytical &lt;Engines&gt;</b>");
  });
  it("never let an attribute shadow a built-in field", () => {
    expect(applyMergeTags("{{email}}", { ...contact, attributes: { email: "evil@example.com" } })).toBe("ada@example.com");
  });
});

describe("renderStepMessage", () => {
  const render = (subject: string, body: string) =>
    renderStepMessage({
      subject,
      body,
      contact,
      unsubscribeUrl: "https://app.example/unsubscribe/tok",
      oneClickUrl: "https://app.example/api/unsubscribe/tok",
      postalAddress: "1 Example St, Springfield",
      senderName: "Acme",
    });

  it("escapes HTML in the body, including merged values", () => {
    const msg = render("Hello", "Dear {{firstName}},\n\n<script>alert(1)</script> from {{company}}");
    expect(msg.html).not.toContain("<script>");
    expect(msg.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(msg.html).toContain("Analytical &lt;Engines&gt;");
    expect(msg.text).toContain("<script>alert(1)</script>"); // plain text stays plain
  });
  it("never lets a merged value become a link in HTML (the template's own text is untouched)", () => {
    const msg = renderStepMessage({
      subject: "Hi",
      body: "Hi {{firstName}}, see https://acme.example/start",
      contact: { ...contact, firstName: "Claim your prize at http://evil.example \uE000x\uE001" },
      unsubscribeUrl: "https://app.example/unsubscribe/tok",
      oneClickUrl: "https://app.example/api/unsubscribe/tok",
      postalAddress: "1 Example St",
      senderName: "Acme",
    });
    expect(msg.html).not.toContain("http://evil.example");
    expect(msg.html).not.toContain("evil.example");
    expect(msg.html).toContain("http:\u200B/\u200B/\u200Bevil.\u200Bexample");
    expect(msg.html).toContain("https://acme.example/start");
    expect(msg.html).not.toMatch(/[\uE000\uE001]/);
    expect(msg.text).toContain("Claim your prize at http://evil.example");
  });
  it("keeps the subject on one line so it cannot inject headers", () => {
    expect(render("Hi {{firstName}}\r\nBcc: victim@example.com", "x").subject).toBe("Hi Ada Bcc: victim@example.com");
  });
  it("carries the unsubscribe link, RFC 8058 headers and the postal address", () => {
    const msg = render("Hi", "Body");
    expect(msg.headers).toEqual({
      "List-Unsubscribe": "<https://app.example/api/unsubscribe/tok>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
    for (const part of [msg.html, msg.text]) {
      expect(part).toContain("https://app.example/unsubscribe/tok");
      expect(part).toContain("1 Example St, Springfield");
    }
  });
});

describe("unsubscribe tokens", () => {
  const now = new Date("2026-03-01T00:00:00Z");
  const token = createUnsubscribeToken({ contactId: "contact-1", messageRef: "send-9" }, { now, secret: SECRET });

  it("round-trip the contact and message", () => {
    const result = verifyUnsubscribeToken(token, { now, secret: SECRET });
    expect(result).toMatchObject({ ok: true, payload: { contactId: "contact-1", messageRef: "send-9" } });
  });
  it("reject a tampered payload", () => {
    const [data, sig] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(data, "base64url").toString()), c: "contact-2" })).toString("base64url");
    expect(verifyUnsubscribeToken(`${forged}.${sig}`, { now, secret: SECRET })).toEqual({ ok: false, reason: "bad_signature" });
  });
  it("reject a tampered or foreign signature", () => {
    const [data, sig] = token.split(".");
    const flipped = sig.slice(0, -2) + (sig.endsWith("A") ? "BB" : "AA");
    expect(verifyUnsubscribeToken(`${data}.${flipped}`, { now, secret: SECRET }).ok).toBe(false);
    expect(verifyUnsubscribeToken(token, { now, secret: "another-secret-0123456789" })).toEqual({ ok: false, reason: "bad_signature" });
  });
  it("accept only the canonical spelling of the signature and payload", () => {
    const [data, sig] = token.split(".");
    // Same bytes, other spellings: extra characters outside the alphabet, padding, or the last character's spare bits.
    const lastBitsFlipped = sig.slice(0, -1) + String.fromCharCode(sig.charCodeAt(42) ^ 1);
    for (const variant of [`${data}.${sig}~`, `${data}.${sig}=`, `${data}~.${sig}`, `${data}.${lastBitsFlipped}`, `${data}.${sig.slice(0, -1)}`]) {
      expect(verifyUnsubscribeToken(variant, { now, secret: SECRET }).ok).toBe(false);
    }
  });
  it("reject an expired token", () => {
    const short = createUnsubscribeToken({ contactId: "c" }, { now, ttlMs: 60_000, secret: SECRET });
    expect(verifyUnsubscribeToken(short, { now: new Date(now.getTime() + 59_000), secret: SECRET }).ok).toBe(true);
    expect(verifyUnsubscribeToken(short, { now: new Date(now.getTime() + 61_000), secret: SECRET })).toEqual({ ok: false, reason: "expired" });
  });
  it("reject garbage", () => {
    for (const bad of ["", "abc", "a.b.c", `${"x".repeat(2000)}.y`, "e30.AAAA"]) {
      expect(verifyUnsubscribeToken(bad, { now, secret: SECRET }).ok).toBe(false);
    }
  });
  it("refuse to sign without a configured secret", () => {
    const saved = process.env.STEPWISE_SIGNING_SECRET;
    delete process.env.STEPWISE_SIGNING_SECRET;
    try {
      expect(() => createUnsubscribeToken({ contactId: "c" })).toThrow(/STEPWISE_SIGNING_SECRET/);
    } finally {
      if (saved !== undefined) process.env.STEPWISE_SIGNING_SECRET = saved;
    }
  });
});
