import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhook, WEBHOOK_TOLERANCE_SECONDS } from "../../lib/security/webhook-signature";

const SECRET = "webhook-unit-secret-0123456789";
const BODY = JSON.stringify({ email: "ada@example.com", type: "hard" });
const T = 1_767_600_000;
const at = (seconds: number) => new Date(seconds * 1000);

describe("webhook signatures", () => {
  it("accept a body signed with the secret within the tolerance", () => {
    const header = signWebhook(BODY, SECRET, T);
    expect(header).toMatch(/^t=1767600000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(BODY, header, SECRET, at(T))).toEqual({ ok: true });
    expect(verifyWebhook(BODY, header, SECRET, at(T + WEBHOOK_TOLERANCE_SECONDS))).toEqual({ ok: true });
  });

  it("refuse a missing or malformed header", () => {
    expect(verifyWebhook(BODY, null, SECRET, at(T))).toEqual({ ok: false, reason: "missing" });
    expect(verifyWebhook(BODY, "", SECRET, at(T))).toEqual({ ok: false, reason: "missing" });
    for (const header of ["garbage", `t=${T}`, "v1=" + "a".repeat(64), `t=abc,v1=${"a".repeat(64)}`, `t=${T},v1=xyz`]) {
      expect(verifyWebhook(BODY, header, SECRET, at(T))).toEqual({ ok: false, reason: "malformed" });
    }
  });

  it("refuse an edited body, another secret, or a moved timestamp", () => {
    const header = signWebhook(BODY, SECRET, T);
    expect(verifyWebhook(BODY.replace("hard", "soft"), header, SECRET, at(T))).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyWebhook(BODY, header, "another-secret-0123456789", at(T))).toEqual({ ok: false, reason: "bad_signature" });
    // The timestamp is signed too: replaying the digest with a fresh t fails.
    const v1 = header.split("v1=")[1];
    expect(verifyWebhook(BODY, `t=${T + 60},v1=${v1}`, SECRET, at(T + 60))).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("refuse a signature older or newer than 5 minutes (replays)", () => {
    const header = signWebhook(BODY, SECRET, T);
    expect(verifyWebhook(BODY, header, SECRET, at(T + WEBHOOK_TOLERANCE_SECONDS + 1))).toEqual({ ok: false, reason: "expired" });
    expect(verifyWebhook(BODY, header, SECRET, at(T - WEBHOOK_TOLERANCE_SECONDS - 1))).toEqual({ ok: false, reason: "expired" });
  });

  it("accept any one matching v1 among several (secret rotation)", () => {
    const old = signWebhook(BODY, "old-secret-0123456789abc", T).split("v1=")[1];
    const current = signWebhook(BODY, SECRET, T).split("v1=")[1];
    expect(verifyWebhook(BODY, `t=${T},v1=${old},v1=${current}`, SECRET, at(T))).toEqual({ ok: true });
    expect(verifyWebhook(BODY, `t=${T},v1=${old}`, SECRET, at(T))).toEqual({ ok: false, reason: "bad_signature" });
  });
});
