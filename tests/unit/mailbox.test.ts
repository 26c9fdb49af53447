import { afterEach, describe, expect, it } from "vitest";
import { classifySmtpFailure } from "../../lib/email/transports/smtp-outcome";
import { parseDeliveryStatus } from "../../lib/mailbox/parse-message";
import { decryptSecret, encryptSecret, SecretKeyMissingError } from "../../lib/mailbox/secret-box";

const env = { ...process.env };
afterEach(() => {
  process.env = { ...env };
});

describe("secret box (AES-256-GCM)", () => {
  it("round-trips, with a fresh nonce each time", () => {
    process.env.STEPWISE_SIGNING_SECRET = "unit-signing-secret-0123456789";
    const a = encryptSecret("hunter2", "mailbox:default:secret");
    const b = encryptSecret("hunter2", "mailbox:default:secret");
    expect(a).not.toBe(b);
    expect(a).not.toContain("hunter2");
    expect(decryptSecret(a, "mailbox:default:secret")).toBe("hunter2");
  });

  it("refuses another context, a tampered value, a truncated tag and another key", () => {
    process.env.STEPWISE_SIGNING_SECRET = "unit-signing-secret-0123456789";
    const sealed = encryptSecret("hunter2", "mailbox:default:secret");
    expect(decryptSecret(sealed, "mailbox:other:secret")).toBeNull();
    const [v, nonce, body, tag] = sealed.split(".");
    const flipped = Buffer.from(body, "base64url");
    flipped[0] ^= 1;
    expect(decryptSecret([v, nonce, flipped.toString("base64url"), tag].join("."), "mailbox:default:secret")).toBeNull();
    expect(decryptSecret([v, nonce, body, Buffer.from(tag, "base64url").subarray(0, 4).toString("base64url")].join("."), "mailbox:default:secret")).toBeNull();
    process.env.STEPWISE_ENCRYPTION_KEY = "a-separate-encryption-key-0123456789-abcdef";
    expect(decryptSecret(sealed, "mailbox:default:secret")).toBeNull();
  });

  it("in production, refuses to work without a key", () => {
    delete process.env.STEPWISE_SIGNING_SECRET;
    delete process.env.STEPWISE_ENCRYPTION_KEY;
    (process.env as Record<string, string>).NODE_ENV = "production";
    expect(() => encryptSecret("x", "c")).toThrow(SecretKeyMissingError);
    process.env.STEPWISE_ENCRYPTION_KEY = "too-short";
    expect(() => encryptSecret("x", "c")).toThrow(SecretKeyMissingError);
  });
});

describe("RFC 3464 delivery status", () => {
  it("reads each recipient's block", () => {
    const text = "Reporting-MTA: dns; mx.example\r\n\r\nFinal-Recipient: rfc822; Ada@Example.com\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1\r\n  user unknown\r\n\r\nFinal-Recipient: rfc822;<bob@example.com>\r\nAction: delayed\r\nStatus: 4.4.1\r\n";
    expect(parseDeliveryStatus(text)).toEqual([
      { finalRecipient: "Ada@Example.com", originalRecipient: null, action: "failed", status: "5.1.1", diagnostic: "smtp; 550 5.1.1 user unknown" },
      { finalRecipient: "bob@example.com", originalRecipient: null, action: "delayed", status: "4.4.1", diagnostic: null },
    ]);
  });
});

describe("what an SMTP failure means", () => {
  it.each([
    [{ responseCode: 451 }, true, "not_accepted"],
    [{ responseCode: 550 }, false, "rejected"],
    [{ code: "ECONNECTION" }, false, "not_accepted"],
    [{ code: "ECONNECTION" }, true, "unknown"],
    [{ code: "ETIMEDOUT" }, true, "unknown"],
    [{ code: "EAUTH", responseCode: 535 }, false, "not_accepted"],
  ] as const)("%o with content started=%s: %s", (error, contentStarted, verdict) => {
    expect(classifySmtpFailure(error, { contentStarted })).toBe(verdict);
  });
});
