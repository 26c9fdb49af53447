import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";
import { pageHref } from "@/components/ui/pagination";
import { cn } from "@/lib/utils/cn";

type SearchParams = Record<string, string | string[] | undefined>;

/**
 * Like Pagination, but the total may be capped ("400+ pages"): "Next" follows
 * whether the query found another row, not the count.
 */
export function ContactsPagination({ page, pageCount, countIsCapped, hasNextPage, searchParams, className }: {
  page: number;
  pageCount: number;
  countIsCapped: boolean;
  hasNextPage: boolean;
  searchParams: SearchParams;
  className?: string;
}) {
  const linkClass = buttonVariants({ variant: "outline", size: "sm" });
  return (
    <nav aria-label="Pagination" className={cn("flex items-center justify-between gap-4 py-4", className)}>
      {page > 1 ? (
        <Link href={pageHref("/contacts", searchParams, page - 1)} rel="prev" className={linkClass}>
          Previous
        </Link>
      ) : (
        <span aria-disabled="true" className={linkClass}>
          Previous
        </span>
      )}
      <p className="text-sm text-muted-foreground">
        Page {page.toLocaleString("en")} of {Math.max(page, pageCount).toLocaleString("en")}
        {countIsCapped ? "+" : ""}
      </p>
      {hasNextPage ? (
        <Link href={pageHref("/contacts", searchParams, page + 1)} rel="next" className={linkClass}>
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
