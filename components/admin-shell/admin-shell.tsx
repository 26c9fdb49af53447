import type { ReactNode } from "react";
import Link from "next/link";
import { Badge, type BadgeVariant } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { SidebarNav } from "@/components/admin-shell/sidebar-nav";
import { ROLE_WORDINGS } from "@/lib/wordings";

export type AdminUser = {
  name: string;
  email: string;
  role: "admin" | "marketer" | "viewer";
};

type AdminShellProps = {
  user: AdminUser;
  signOutAction: () => Promise<void>;
  children: ReactNode;
};

const ROLE_VARIANTS: Record<AdminUser["role"], BadgeVariant> = {
  admin: "default",
  marketer: "secondary",
  viewer: "outline",
};

export function AdminShell({ user, signOutAction, children }: AdminShellProps) {
  return (
    <div className="flex min-h-dvh flex-col md:flex-row">
      <a
        href="#main-content"
        className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-background focus:px-3 focus:py-2 focus:shadow"
      >
        Skip to content
      </a>

      <aside className="shrink-0 border-b bg-muted/50 px-3 py-3 md:sticky md:top-0 md:h-dvh md:w-60 md:border-r md:border-b-0 md:py-5">
        <Link href="/sequences" className="mb-4 block px-3 text-lg font-semibold tracking-tight text-primary">
          Stepwise
        </Link>
        <SidebarNav />
      </aside>

      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex flex-wrap items-center justify-end gap-x-4 gap-y-2 border-b px-6 py-3">
          <div className="flex min-w-0 items-center gap-3">
            <div className="min-w-0 text-right">
              <p className="truncate text-sm font-medium" data-testid="user-name">{user.name}</p>
              <p className="truncate text-xs text-muted-foreground" data-testid="user-email">{user.email}</p>
            </div>
            <Badge variant={ROLE_VARIANTS[user.role]} data-testid="user-role">
              {ROLE_WORDINGS[user.role]}
            </Badge>
          </div>
          <form action={signOutAction}>
            <Button type="submit" variant="outline" size="sm">
              Sign out
            </Button>
          </form>
        </header>

        <main id="main-content" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-6 py-8 focus:outline-none">
          {children}
        </main>
      </div>
    </div>
  );
}
