import "server-only";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import { redirect } from "next/navigation";
import { auth } from "./index";
import { hasRole, type Role } from "./roles";

export type CurrentUser = { id: string; email: string; name: string; role: Role };

/**
 * The signed-in user, re-read from the database so that a deleted user, a
 * changed role or a sign-out takes effect at once (the JWT alone could be
 * hours old, and a request in flight during sign-out renews its cookie).
 */
export async function getCurrentUser(): Promise<CurrentUser | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const user = await getDb().user.findUnique({ where: { id }, select: { id: true, email: true, name: true, role: true, sessionVersion: true, deactivatedAt: true } });
  if (!user || user.deactivatedAt || user.sessionVersion !== session.user.sessionVersion) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/** Ends every session of the current user (the version in their tokens goes stale). */
export async function revokeCurrentSessions(): Promise<void> {
  const session = await auth();
  const id = session?.user?.id;
  if (id) await getDb().user.updateMany({ where: { id }, data: { sessionVersion: { increment: 1 } } });
}

/** The current user if they have at least `role`; throws AppError otherwise. */
export async function requireUser(role: Role = "viewer"): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("unauthenticated", "Please sign in.");
  if (!hasRole(user.role, role)) throw new AppError("forbidden", "You do not have permission to do that.");
  return user;
}

/**
 * For server components (pages and the queries they call): a visitor whose
 * session ended is sent to the login page instead of seeing an error. Server
 * actions and route handlers use requireUser and answer with a value or 401.
 */
export async function requirePageUser(role: Role = "viewer"): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  if (!hasRole(user.role, role)) throw new AppError("forbidden", "You do not have permission to see this page.");
  return user;
}
