/**
 * Invitation and password-reset links: `<UserToken id>.<expiry, unix
 * seconds>.<HMAC>`. The signature stops forged and altered links before the
 * database is asked; the UserToken row makes each link single-use (usedAt)
 * and lets a newer link replace an older one.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { now as currentTime } from "../clock";
import type { Tx } from "../db/prisma";
import type { UserTokenKind } from "../generated/prisma/enums";

function secret(): string {
  const value = process.env.STEPWISE_SIGNING_SECRET;
  if (!value || value.length < 16) throw new Error("STEPWISE_SIGNING_SECRET must be set (at least 16 characters) to sign invitation and reset links.");
  return value;
}

// The kind is part of what is signed: a reset link is never an invitation.
const mac = (kind: UserTokenKind, data: string) => createHmac("sha256", secret()).update(`user-token.v1.${kind}.${data}`).digest();

export function signUserToken(kind: UserTokenKind, id: string, expiresAt: Date): string {
  const data = `${id}.${Math.floor(expiresAt.getTime() / 1000)}`;
  return `${data}.${mac(kind, data).toString("base64url")}`;
}

export type TokenCheck = { ok: true; id: string } | { ok: false; reason: "invalid" | "expired" };

/** The signature and expiry only; `claimUserToken` then makes it single-use. */
export function verifyUserToken(kind: UserTokenKind, token: unknown, at: Date = currentTime()): TokenCheck {
  if (typeof token !== "string" || token.length > 200) return { ok: false, reason: "invalid" };
  const match = /^([0-9a-f-]{36})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: "invalid" };
  const [, id, exp, signature] = match;
  const given = Buffer.from(signature, "base64url");
  if (given.toString("base64url") !== signature || !timingSafeEqual(given, mac(kind, `${id}.${exp}`))) return { ok: false, reason: "invalid" };
  if (at.getTime() / 1000 > Number(exp)) return { ok: false, reason: "expired" };
  return { ok: true, id };
}

/**
 * Uses the link: marks its row used, once. Of two concurrent uses one wins;
 * the other, a reused, replaced or expired link, gets null.
 */
export async function claimUserToken(tx: Tx, kind: UserTokenKind, token: unknown) {
  const at = currentTime();
  const check = verifyUserToken(kind, token, at);
  if (!check.ok) return null;
  const [row] = await tx.userToken.updateManyAndReturn({
    where: { id: check.id, kind, usedAt: null, expiresAt: { gt: at } },
    data: { usedAt: at },
  });
  return row ?? null;
}

/** Whether the link would still work (for the page that shows the form), without using it. */
export async function peekUserToken(tx: Tx, kind: UserTokenKind, token: unknown) {
  const at = currentTime();
  const check = verifyUserToken(kind, token, at);
  if (!check.ok) return null;
  return tx.userToken.findFirst({ where: { id: check.id, kind, usedAt: null, expiresAt: { gt: at } }, select: { email: true, role: true } });
}
