import Link from "next/link";
import { cn } from "@/lib/utils/cn";
import { buttonVariants } from "@/components/ui/button";

type SearchParams = Record<string, string | string[] | undefined>;

type PaginationProps = {
  page: number;
  pageCount: number;
  basePath: string;
  /** Current query, preserved in the links (filters, search) with `page` replaced. */
  searchParams: SearchParams;
  className?: string;
};

export function pageHref(basePath: string, searchParams: SearchParams, page: number): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(searchParams)) {
    if (key === "page" || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) query.append(key, v);
  }
  query.set("page", String(page));
  return `${basePath}?${query.toString()}`;
}

// Props are plain data (not an hrefForPage callback) so server pages can render this directly.
export function Pagination({ page, pageCount, basePath, searchParams, className }: PaginationProps) {
  const total = Math.max(1, Math.floor(pageCount) || 1);
  const current = Math.min(Math.max(1, Math.floor(page) || 1), total);
  const linkClass = buttonVariants({ variant: "outline", size: "sm" });

  return (
    <nav aria-label="Pagination" className={cn("flex items-center justify-between gap-4 py-4", className)}>
      {current > 1 ? (
        <Link href={pageHref(basePath, searchParams, current - 1)} rel="prev" className={linkClass}>
          Previous
        </Link>
      ) : (
        <span aria-disabled="true" className={linkClass}>
          Previous
        </span>
      )}
      <p className="text-sm text-muted-foreground">
        Page {current} of {total}
      </p>
      {current < total ? (
        <Link href={pageHref(basePath, searchParams, current + 1)} rel="next" className={linkClass}>
          Next
        </Link>
      ) : (
        <span aria-disabled="true" className={linkClass}>
          Next
        </span>
      )}
    </nav>
  );
}
