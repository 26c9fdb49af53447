import "server-only";
/**
 * Changing a password (current one required) and resetting a forgotten one
 * by an emailed, signed, single-use link valid for an hour. Either ends
 * every session of the user: whoever knew the old password is signed out.
 */
import { createHash } from "node:crypto";
import { now as currentTime } from "../clock";
import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import { hashPassword, TIMING_DUMMY_HASH, verifyPassword } from "../auth/password";
import { recordAudit, type AuditActor } from "../audit/record";
import { mailConfig } from "../email/config";
import { rateLimit } from "../security/rate-limit";
import { parseOrThrow } from "../validations/parse";
import { ZChangePassword, ZRequestPasswordReset, ZResetPassword } from "../validations/team";
import { sendTeamMail } from "./mail";
import { claimUserToken, signUserToken } from "./tokens";

export const RESET_TTL_MS = 3_600_000;
/** Per address: nobody can flood a mailbox with reset links. Per IP: nobody can probe many addresses. */
export const RESET_LIMITS = {
  email: { limit: 3, windowMs: 3_600_000 },
  ip: { limit: 20, windowMs: 3_600_000 },
} as const;

/** Sets a new password after checking the current one; the caller's sessions end too. */
export async function changePassword(db: Db, actor: AuditActor, input: { currentPassword: string; newPassword: string }): Promise<void> {
  const { currentPassword, newPassword } = parseOrThrow(ZChangePassword, input);
  const user = await db.user.findUnique({ where: { id: actor.id }, select: { passwordHash: true } });
  if (!user || !(await verifyPassword(currentPassword, user.passwordHash))) {
    throw new AppError("validation", "Please correct the highlighted fields.", { currentPassword: ["This is not your current password"] });
  }
  const passwordHash = await hashPassword(newPassword);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: actor.id }, data: { passwordHash, sessionVersion: { increment: 1 } } });
    await recordAudit(tx, actor, { action: "user.password", objectType: "user", objectId: actor.id, objectLabel: actor.label });
  });
}

const digest = (value: string) => createHash("sha256").update(value).digest("hex").slice(0, 32);

/**
 * "Forgot password?": emails a reset link if the address belongs to an
 * active user and neither limit is reached. Answers nothing either way, so
 * the caller's reply cannot tell whether the address exists.
 */
export async function requestPasswordReset(db: Db, input: { email: string }, meta: { ip: string }): Promise<void> {
  const { email } = parseOrThrow(ZRequestPasswordReset, input);
  const byIp = meta.ip === "unknown" ? { allowed: true } : await rateLimit(db, { key: `password-reset:ip:${meta.ip}`, ...RESET_LIMITS.ip });
  const byEmail = await rateLimit(db, { key: `password-reset:email:${digest(email)}`, ...RESET_LIMITS.email });
  const user = await db.user.findUnique({ where: { email }, select: { id: true, deactivatedAt: true } });
  if (!byIp.allowed || !byEmail.allowed || !user || user.deactivatedAt) {
    // About the cost of the hashing a real request does not do either, so the two take similar time.
    await verifyPassword("timing", TIMING_DUMMY_HASH);
    return;
  }
  const at = currentTime();
  const expiresAt = new Date(at.getTime() + RESET_TTL_MS);
  // Only the newest link works.
  await db.userToken.updateMany({ where: { kind: "password_reset", userId: user.id, usedAt: null, expiresAt: { gt: at } }, data: { expiresAt: at } });
  const row = await db.userToken.create({ data: { kind: "password_reset", email, userId: user.id, expiresAt, createdAt: at } });
  const config = mailConfig();
  await sendTeamMail(db, {
    to: email,
    subject: "Reset your Stepwise password",
    intro: "Someone (hopefully you) asked to reset the password of your Stepwise account.",
    linkText: "Choose a new password",
    link: `${config.appUrl}/login/reset/${signUserToken("password_reset", row.id, expiresAt)}`,
    outro: "The link works once and expires in one hour. If it was not you, ignore this message: your password stays as it is.",
    key: `password-reset.${row.id}`,
  });
}

/** Sets the password a reset link was sent for; false when the link is forged, used, replaced or expired. */
export async function resetPassword(db: Db, input: { token: string; password: string }, meta: { ip?: string | null; userAgent?: string | null } = {}): Promise<boolean> {
  const { token, password } = parseOrThrow(ZResetPassword, input);
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    const link = await claimUserToken(tx, "password_reset", token);
    if (!link?.userId) return false;
    const user = await tx.user.findUnique({ where: { id: link.userId }, select: { id: true, email: true, deactivatedAt: true } });
    if (!user || user.deactivatedAt) return false;
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, sessionVersion: { increment: 1 } } });
    await recordAudit(tx, { type: "user", id: user.id, label: user.email, ...meta }, { action: "user.password_reset", objectType: "user", objectId: user.id, objectLabel: user.email });
    return true;
  });
}
