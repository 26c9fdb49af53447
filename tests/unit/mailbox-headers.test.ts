import { describe, expect, it } from "vitest";
import { scanHeaders } from "../../lib/mailbox/header-scan";
import { messageIdOfReturnPath, verpReturnPath } from "../../lib/mailbox/verp";

const raw = (lines: string[]) => Buffer.from(lines.join("\r\n"));

describe("scanHeaders: what the headers alone say", () => {
  it("In-Reply-To first, then References newest first; folded lines unfolded; the body ignored", () => {
    const facts = scanHeaders(
      raw(["From: a@example.test", "In-Reply-To: <b@x>", "References: <a@x>", "\t<b@x>", "Subject: hi", "", "In-Reply-To: <body@x>", "Delivered-To: body@x"]),
    );
    expect(facts.referencedIds).toEqual(["b@x", "b@x", "a@x"]);
    expect(facts.deliveredTo).toEqual([]);
    expect(facts.isReport).toBe(false);
  });

  it("a report, and the addresses it was delivered to (a VERP return path among them), lower-cased", () => {
    const facts = scanHeaders(
      raw([
        "To: \"Bounces\" <Bounces+ABC@Bounces.Example.test>",
        "Delivered-To: mailbox@example.test",
        "X-Original-To: bounces+abc@bounces.example.test",
        'Content-Type: multipart/report; report-type=delivery-status; boundary="x"',
        "",
        "",
      ]),
    );
    expect(facts.isReport).toBe(true);
    expect(facts.deliveredTo).toEqual(["bounces+abc@bounces.example.test", "mailbox@example.test"]);
  });

  it("a message that is all header", () => {
    expect(scanHeaders(Buffer.from("In-Reply-To: <only@x>")).referencedIds).toEqual(["only@x"]);
  });
});

describe("VERP return paths", () => {
  const mac = "0123456789abcdef0123456789abcdef01234567";

  it("off without BOUNCE_DOMAIN; for step emails only", () => {
    expect(verpReturnPath(`${mac}@app.example`, {})).toBeNull();
    expect(verpReturnPath(`${mac}@app.example`, { BOUNCE_DOMAIN: "b.example" })).toBe(`bounces+${mac}@b.example`);
    expect(verpReturnPath("confirm.123@app.example", { BOUNCE_DOMAIN: "b.example" })).toBeNull();
    expect(verpReturnPath("invite-key@app.example", { BOUNCE_DOMAIN: "b.example" })).toBeNull();
  });

  it("back from the address to the stored Message-ID, whatever the case; anything else is not ours", () => {
    expect(messageIdOfReturnPath(`Bounces+${mac.toUpperCase()}@B.example`, "app.example")).toBe(`${mac}@app.example`);
    expect(messageIdOfReturnPath("bounces+short@b.example", "app.example")).toBeNull();
    expect(messageIdOfReturnPath(`someone+${mac}@b.example`, "app.example")).toBeNull();
  });
});
