import type { ReactNode } from "react";
import { redirect } from "next/navigation";
import { AdminShell } from "@/components/admin-shell/admin-shell";
import { signOutAction } from "@/lib/actions/auth/sign-out";
import { getCurrentUser } from "@/lib/auth/session";

// Every admin page reads live data for the signed-in user.
export const dynamic = "force-dynamic";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  return (
    <AdminShell user={user} signOutAction={signOutAction}>
      {children}
    </AdminShell>
  );
}
