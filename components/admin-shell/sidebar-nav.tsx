"use client";

import Link, { useLinkStatus } from "next/link";
import { usePathname } from "next/navigation";
import { Spinner } from "@/components/ui/spinner";
import { cn } from "@/lib/utils/cn";

export const NAV_ITEMS = [
  { href: "/sequences", label: "Sequences" },
  { href: "/templates", label: "Templates" },
  { href: "/contacts", label: "Contacts" },
  { href: "/mail", label: "Sent mail" },
  { href: "/activity", label: "Activity" },
  { href: "/settings", label: "Settings" },
] as const;

function isActive(pathname: string, href: string): boolean {
  // Detail pages (/sequences/123) keep their section highlighted.
  return pathname === href || pathname.startsWith(`${href}/`);
}

/** Admin pages render on demand (no loading skeleton, so unknown ids answer 404): show the click was taken. */
function PendingHint() {
  const { pending } = useLinkStatus();
  return pending ? <Spinner label="Loading" className="size-3" /> : null;
}

export function SidebarNav() {
  const pathname = usePathname() ?? "";
  return (
    <nav aria-label="Main">
      {/* Wraps on narrow screens: every section stays visible, none scrolled out of sight. */}
      <ul className="flex flex-wrap gap-1 md:flex-col md:flex-nowrap">
        {NAV_ITEMS.map(({ href, label }) => {
          const active = isActive(pathname, href);
          return (
            <li key={href}>
              <Link
                href={href}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "flex items-center gap-2 rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap transition-colors",
                  active
                    ? "bg-accent text-accent-foreground"
                    : "text-muted-foreground hover:bg-muted hover:text-foreground",
                )}
              >
                {label}
                <PendingHint />
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
