import "server-only";
/**
 * Admins manage the team: roles, deactivation. The installation always
 * keeps one active admin: the last one can be neither demoted nor
 * deactivated. A deactivated user's sessions end at once (their
 * sessionVersion moves on, and lib/auth/session.ts re-reads both).
 */
import { now as currentTime } from "../clock";
import type { Db, Tx } from "../db/prisma";
import { AppError } from "../errors";
import { recordAudit, type AuditActor } from "../audit/record";
import type { Role } from "../auth/roles";
import { parseOrThrow } from "../validations/parse";
import { ZChangeRole, ZUserRef } from "../validations/team";

const LAST_ADMIN = "This is the only active admin. Make someone else an admin first.";

async function lockedUser(tx: Tx, userId: string) {
  // Every active admin's row is locked first, so two admins demoting each other at once cannot both succeed.
  const admins = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "User" WHERE "role" = 'admin' AND "deactivatedAt" IS NULL ORDER BY "id" FOR UPDATE`;
  const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true, role: true, deactivatedAt: true } });
  if (!user) throw new AppError("not_found", "That user no longer exists. Reload the page.");
  const isLastAdmin = admins.length === 1 && admins[0].id === userId;
  return { user, isLastAdmin };
}

const stateOf = (u: { email: string; name: string; role: Role; deactivatedAt: Date | null }) => ({
  email: u.email,
  name: u.name,
  role: u.role,
  deactivatedAt: u.deactivatedAt?.toISOString() ?? null,
});

/** Gives a user another role. */
export async function changeUserRole(db: Db, actor: AuditActor, input: { userId: string; role: Role }): Promise<{ role: Role }> {
  const { userId, role } = parseOrThrow(ZChangeRole, input);
  return db.$transaction(async (tx) => {
    const { user, isLastAdmin } = await lockedUser(tx, userId);
    if (user.role === role) return { role };
    if (isLastAdmin) throw new AppError("conflict", LAST_ADMIN);
    const updated = await tx.user.update({ where: { id: userId }, data: { role }, select: { email: true, name: true, role: true, deactivatedAt: true } });
    await recordAudit(tx, actor, { action: "user.role", objectType: "user", objectId: userId, objectLabel: user.email, before: stateOf(user), after: stateOf(updated) });
    return { role };
  });
}

/** Deactivates a user: sign-in refused, every session ended now. */
export async function deactivateUser(db: Db, actor: AuditActor, input: { userId: string }): Promise<{ deactivated: boolean }> {
  const { userId } = parseOrThrow(ZUserRef, input);
  return db.$transaction(async (tx) => {
    const { user, isLastAdmin } = await lockedUser(tx, userId);
    if (user.deactivatedAt) return { deactivated: false };
    if (isLastAdmin) throw new AppError("conflict", LAST_ADMIN);
    const updated = await tx.user.update({
      where: { id: userId },
      data: { deactivatedAt: currentTime(), sessionVersion: { increment: 1 } },
      select: { email: true, name: true, role: true, deactivatedAt: true },
    });
    await recordAudit(tx, actor, { action: "user.deactivate", objectType: "user", objectId: userId, objectLabel: user.email, before: stateOf(user), after: stateOf(updated) });
    return { deactivated: true };
  });
}

/** Lets a deactivated user sign in again (with their old password). */
export async function reactivateUser(db: Db, actor: AuditActor, input: { userId: string }): Promise<{ reactivated: boolean }> {
  const { userId } = parseOrThrow(ZUserRef, input);
  return db.$transaction(async (tx) => {
    const { user } = await lockedUser(tx, userId);
    if (!user.deactivatedAt) return { reactivated: false };
    const updated = await tx.user.update({ where: { id: userId }, data: { deactivatedAt: null }, select: { email: true, name: true, role: true, deactivatedAt: true } });
    await recordAudit(tx, actor, { action: "user.reactivate", objectType: "user", objectId: userId, objectLabel: user.email, before: stateOf(user), after: stateOf(updated) });
    return { reactivated: true };
  });
}

/** The team for the settings page, oldest first, with pending invitations. */
export async function listTeam(db: Db) {
  const [users, invites] = await Promise.all([
    db.user.findMany({ orderBy: { createdAt: "asc" }, select: { id: true, name: true, email: true, role: true, deactivatedAt: true } }),
    db.userToken.findMany({ where: { kind: "invite", usedAt: null, expiresAt: { gt: currentTime() } }, orderBy: { createdAt: "desc" }, select: { id: true, email: true, role: true, expiresAt: true } }),
  ]);
  return { users, invites };
}
