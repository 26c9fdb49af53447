import "server-only";
/**
 * Invitations: an admin names an address and a role; the address gets a
 * signed, single-use link valid for INVITE_TTL_MS; following it, the
 * invitee chooses a name and a password and becomes a user.
 */
import { now as currentTime } from "../clock";
import type { Db } from "../db/prisma";
import { isUniqueViolation } from "../db/prisma";
import { AppError } from "../errors";
import { hashPassword } from "../auth/password";
import { recordAudit, type AuditActor } from "../audit/record";
import { mailConfig } from "../email/config";
import { ROLE_LABELS } from "../auth/roles";
import { parseOrThrow } from "../validations/parse";
import { ZAcceptInvite, ZInviteUser, type TAcceptInvite, type TInviteUser } from "../validations/team";
import { sendTeamMail } from "./mail";
import { claimUserToken, signUserToken } from "./tokens";

export const INVITE_TTL_MS = 7 * 24 * 3_600_000;

/** Creates the invitation (replacing any earlier one for the address) and emails its link. */
export async function inviteUser(db: Db, actor: AuditActor, input: TInviteUser): Promise<{ email: string; expiresAt: Date }> {
  const { email, role } = parseOrThrow(ZInviteUser, input);
  const at = currentTime();
  const expiresAt = new Date(at.getTime() + INVITE_TTL_MS);
  const invite = await db.$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email }, select: { id: true } })) {
      throw new AppError("conflict", "Someone with this email is already on the team.", { email: ["Already on the team"] });
    }
    // An earlier link for the same address stops working: only the newest invitation counts.
    await tx.userToken.updateMany({ where: { kind: "invite", email, usedAt: null, expiresAt: { gt: at } }, data: { expiresAt: at } });
    const row = await tx.userToken.create({ data: { kind: "invite", email, role, createdById: actor.id, expiresAt, createdAt: at } });
    await recordAudit(tx, actor, { action: "user.invite", objectType: "user", objectLabel: email, after: { email, role, expiresAt: expiresAt.toISOString() } });
    return row;
  });
  const config = mailConfig();
  await sendTeamMail(db, {
    to: email,
    subject: `You are invited to ${config.senderName} on Stepwise`,
    intro: `${actor.label} invited you to join ${config.senderName} on Stepwise as ${ROLE_LABELS[role]}.`,
    linkText: "Accept the invitation",
    link: `${config.appUrl}/invite/${signUserToken("invite", invite.id, expiresAt)}`,
    outro: "The link works once and expires in 7 days. If you did not expect this, ignore this message.",
    key: `invite.${invite.id}`,
  });
  return { email, expiresAt };
}

export type AcceptOutcome = { ok: true; email: string } | { ok: false; reason: "invalid_link" | "already_member" };

/** Uses the invitation: creates the user with the invited role, once. */
export async function acceptInvite(db: Db, input: TAcceptInvite, meta: { ip?: string | null; userAgent?: string | null } = {}): Promise<AcceptOutcome> {
  const { token, name, password } = parseOrThrow(ZAcceptInvite, input);
  const passwordHash = await hashPassword(password);
  try {
    return await db.$transaction(async (tx) => {
      const invite = await claimUserToken(tx, "invite", token);
      if (!invite) return { ok: false, reason: "invalid_link" } as const;
      const user = await tx.user.create({ data: { email: invite.email, name, role: invite.role ?? "viewer", passwordHash } });
      const actor = { type: "user" as const, id: user.id, label: user.email, ...meta };
      await recordAudit(tx, actor, { action: "user.accept_invite", objectType: "user", objectId: user.id, objectLabel: user.email, after: { email: user.email, name, role: user.role } });
      return { ok: true, email: user.email } as const;
    });
  } catch (error) {
    // The address joined another way since the invitation (the claim rolls back with it).
    if (isUniqueViolation(error)) return { ok: false, reason: "already_member" };
    throw error;
  }
}
