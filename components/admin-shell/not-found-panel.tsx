"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { NAV_ITEMS } from "@/components/admin-shell/sidebar-nav";

/** What an unknown id shows inside the app: what was not found and the way back to its list. */
export function NotFoundPanel() {
  const pathname = usePathname() ?? "";
  const section = NAV_ITEMS.find(({ href }) => pathname.startsWith(`${href}/`)) ?? NAV_ITEMS[0];
  return (
    <div className="grid gap-4 rounded-md border border-dashed p-8 text-center" data-not-found="">
      <h1 className="text-2xl font-semibold tracking-tight">Not found</h1>
      <p className="text-sm text-muted-foreground">
        Nothing exists at this address: it may have been deleted, or the link is mistyped.
      </p>
      <p>
        <Link href={section.href} className="font-medium text-primary hover:underline">
          Back to {section.label.toLowerCase()}
        </Link>
      </p>
    </div>
  );
}
