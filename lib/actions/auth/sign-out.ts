"use server";

import { redirect } from "next/navigation";
import { signOut } from "@/lib/auth";
import { revokeCurrentSessions } from "@/lib/auth/session";

/**
 * Signs out on the server, not only in this browser: clearing the cookie is
 * not enough, because a request in flight renews it (Auth.js rolls the JWT),
 * so the session's version is bumped and every older token stops working.
 */
export async function signOutAction(): Promise<void> {
  await revokeCurrentSessions();
  await signOut({ redirect: false });
  redirect("/login");
}
