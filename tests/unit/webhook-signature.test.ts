import { describe, expect, it } from "vitest";
import { senderAuthenticated } from "../../lib/replies/sender-auth";
import { signWebhook, verifyWebhook, WEBHOOK_TOLERANCE_SECONDS } from "../../lib/security/webhook-signature";

const SECRET = "webhook-unit-secret-0123456789";
const BODY = JSON.stringify({ email: "ada@example.com", type: "hard" });
const T = 1_767_600_000;
const at = (seconds: number) => new Date(seconds * 1000);
const BOUNCES = { method: "POST", path: "/api/webhooks/bounces" };

describe("webhook signatures", () => {
  it("accept a body signed with the secret for this request line within the tolerance", () => {
    const header = signWebhook(BODY, SECRET, BOUNCES, T);
    expect(header).toMatch(/^t=1767600000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(BODY, header, SECRET, BOUNCES, at(T))).toMatchObject({ ok: true, t: T });
    expect(verifyWebhook(BODY, header, SECRET, BOUNCES, at(T + WEBHOOK_TOLERANCE_SECONDS)).ok).toBe(true);
  });

  it("cover the method, the path and the query", () => {
    const header = signWebhook(BODY, SECRET, BOUNCES, T);
    for (const target of [
      { method: "PUT", path: "/api/webhooks/bounces" },
      { method: "POST", path: "/api/webhooks/replies" },
      { method: "POST", path: "/api/webhooks/bounces?provider=postmark" },
    ]) {
      expect(verifyWebhook(BODY, header, SECRET, target, at(T))).toEqual({ ok: false, reason: "bad_signature" });
    }
    // The method is compared upper-cased, as HTTP defines it.
    expect(verifyWebhook(BODY, header, SECRET, { method: "post", path: BOUNCES.path }, at(T)).ok).toBe(true);
  });

  it("refuse a missing or malformed header", () => {
    expect(verifyWebhook(BODY, null, SECRET, BOUNCES, at(T))).toEqual({ ok: false, reason: "missing" });
    expect(verifyWebhook(BODY, "", SECRET, BOUNCES, at(T))).toEqual({ ok: false, reason: "missing" });
    for (const header of ["garbage", `t=${T}`, "v1=" + "a".repeat(64), `t=abc,v1=${"a".repeat(64)}`, `t=${T},v1=xyz`]) {
      expect(verifyWebhook(BODY, header, SECRET, BOUNCES, at(T))).toEqual({ ok: false, reason: "malformed" });
    }
  });

  it("refuse an edited body, another secret, or a moved timestamp", () => {
    const header = signWebhook(BODY, SECRET, BOUNCES, T);
    expect(verifyWebhook(BODY.replace("hard", "soft"), header, SECRET, BOUNCES, at(T))).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyWebhook(BODY, header, "another-secret-0123456789", BOUNCES, at(T))).toEqual({ ok: false, reason: "bad_signature" });
    // The timestamp is signed too: replaying the digest with a fresh t fails.
    const v1 = header.split("v1=")[1];
    expect(verifyWebhook(BODY, `t=${T + 60},v1=${v1}`, SECRET, BOUNCES, at(T + 60))).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("refuse a signature older or newer than 5 minutes", () => {
    const header = signWebhook(BODY, SECRET, BOUNCES, T);
    expect(verifyWebhook(BODY, header, SECRET, BOUNCES, at(T + WEBHOOK_TOLERANCE_SECONDS + 1))).toEqual({ ok: false, reason: "expired" });
    expect(verifyWebhook(BODY, header, SECRET, BOUNCES, at(T - WEBHOOK_TOLERANCE_SECONDS - 1))).toEqual({ ok: false, reason: "expired" });
  });

  it("accept any one matching v1 among several (secret rotation), with one replay key however the header is spelled", () => {
    const old = signWebhook(BODY, "old-secret-0123456789abc", BOUNCES, T).split("v1=")[1];
    const current = signWebhook(BODY, SECRET, BOUNCES, T).split("v1=")[1];
    const a = verifyWebhook(BODY, `t=${T},v1=${old},v1=${current}`, SECRET, BOUNCES, at(T));
    const b = verifyWebhook(BODY, `t=${T},v1=${current}`, SECRET, BOUNCES, at(T));
    expect(a.ok && b.ok && a.digest === b.digest).toBe(true);
    expect(verifyWebhook(BODY, `t=${T},v1=${old}`, SECRET, BOUNCES, at(T))).toEqual({ ok: false, reason: "bad_signature" });
  });
});

describe("senderAuthenticated (Authentication-Results)", () => {
  const ar = (value: string) => ({ "Authentication-Results": value });
  it("accepts dkim, spf or dmarc pass aligned with the From domain", () => {
    expect(senderAuthenticated(ar("mx.example; dkim=pass header.d=example.com"), "a@example.com")).toBe(true);
    expect(senderAuthenticated(ar("mx.example; dkim=pass header.d=mail.example.com"), "a@example.com")).toBe(true);
    expect(senderAuthenticated(ar("mx.example; spf=pass smtp.mailfrom=bounce@example.com"), "a@Example.com")).toBe(true);
    expect(senderAuthenticated(ar("mx.example; dmarc=pass header.from=example.com"), "a@example.com")).toBe(true);
  });
  it("refuses failures, other domains, look-alike suffixes and a missing header", () => {
    expect(senderAuthenticated(undefined, "a@example.com")).toBe(false);
    expect(senderAuthenticated(ar("mx.example; dkim=fail header.d=example.com"), "a@example.com")).toBe(false);
    expect(senderAuthenticated(ar("mx.example; dkim=pass header.d=evil.example"), "a@example.com")).toBe(false);
    expect(senderAuthenticated(ar("mx.example; dkim=pass header.d=badexample.com"), "a@example.com")).toBe(false);
    expect(senderAuthenticated(ar("mx.example; spf=pass smtp.helo=example.com"), "a@example.com")).toBe(false);
    expect(senderAuthenticated(ar("mx.example; dkim=pass header.d=com"), "a@example.com")).toBe(false);
    // The first part is the evaluating host, not a result.
    expect(senderAuthenticated(ar("dkim=pass header.d=example.com"), "a@example.com")).toBe(false);
  });
});
