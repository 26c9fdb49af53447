"use server";

import { redirect } from "next/navigation";
import { signOut } from "@/lib/auth";

export async function signOutAction(): Promise<void> {
  // Auth.js's own redirect after sign-out lost the cleared session cookie
  // under Next 16 (the user stayed signed in); clear first, then redirect.
  await signOut({ redirect: false });
  redirect("/login");
}
