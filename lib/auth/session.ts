import "server-only";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import { auth } from "./index";
import { hasRole, type Role } from "./roles";

export type CurrentUser = { id: string; email: string; name: string; role: Role };

/**
 * The signed-in user, re-read from the database so that a deleted user or a
 * changed role takes effect at once (the JWT alone could be hours old).
 */
export async function getCurrentUser(): Promise<CurrentUser | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  return getDb().user.findUnique({ where: { id }, select: { id: true, email: true, name: true, role: true } });
}

/** The current user if they have at least `role`; throws AppError otherwise. */
export async function requireUser(role: Role = "viewer"): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("unauthenticated", "Please sign in.");
  if (!hasRole(user.role, role)) throw new AppError("forbidden", "You do not have permission to do that.");
  return user;
}
