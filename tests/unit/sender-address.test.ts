import { describe, expect, it } from "vitest";
import { addressOf, dkimAligned, formatFrom } from "../../lib/senders/address";
import { ZSenderFields } from "../../lib/validations/sender";

describe("formatFrom", () => {
  it("quotes a name with specials only", () => {
    expect(formatFrom("Sam at Acme", "sam@acme.example")).toBe("Sam at Acme <sam@acme.example>");
    expect(formatFrom("Acme, Inc.", "hi@acme.example")).toBe('"Acme, Inc." <hi@acme.example>');
    expect(formatFrom("Zoë", "z@acme.example")).toBe("Zoë <z@acme.example>");
    expect(addressOf(formatFrom("Acme, Inc.", "hi@acme.example"))).toBe("hi@acme.example");
  });
});

describe("dkimAligned", () => {
  it("is null without DKIM, true for the same domain or a parent/child, false otherwise", () => {
    expect(dkimAligned("a@acme.example", undefined)).toBeNull();
    expect(dkimAligned("a@ACME.example", "acme.example")).toBe(true);
    expect(dkimAligned("a@mail.acme.example", "acme.example")).toBe(true);
    expect(dkimAligned("a@acme.example", "mail.acme.example")).toBe(true);
    expect(dkimAligned("a@other.example", "acme.example")).toBe(false);
    expect(dkimAligned("a@notacme.example", "acme.example")).toBe(false);
  });
});

describe("ZSenderFields", () => {
  it("refuses a line break anywhere in the name, even at the end, and blank reply-to means none", () => {
    for (const fromName of ["Sam\r\nBcc: x@y.example", "Sam\n", "\rSam", "Sam\u0000"]) {
      expect(ZSenderFields.safeParse({ fromName, fromAddress: "sam@acme.example" }).success).toBe(false);
    }
    expect(ZSenderFields.parse({ fromName: "  Sam ", fromAddress: " sam@acme.example ", replyTo: "" })).toEqual({ fromName: "Sam", fromAddress: "sam@acme.example", replyTo: null });
  });
});
