import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";
import { cn } from "@/lib/utils/cn";

/**
 * Previous and Next for the contact list. The links carry a position in
 * the list (a cursor), not a page number, so a deep page is read from the
 * sort's index at that position. The page's number is shown when the list
 * knows it cheaply (a count of 10,000 or fewer); past the cap only the
 * first page's is.
 */
export function ContactsPagination({ page, pageCount, countIsCapped, previousHref, nextHref, className }: {
  page: number | null;
  pageCount: number;
  countIsCapped: boolean;
  previousHref: string | null;
  nextHref: string | null;
  className?: string;
}) {
  const linkClass = buttonVariants({ variant: "outline", size: "sm" });
  return (
    <nav aria-label="Pagination" className={cn("flex items-center justify-between gap-4 py-4", className)}>
      {previousHref ? (
        <Link href={previousHref} rel="prev" className={linkClass}>
          Previous
        </Link>
      ) : (
        <span aria-disabled="true" className={linkClass}>
          Previous
        </span>
      )}
      {page !== null ? (
        <p className="text-sm text-muted-foreground">
          Page {page.toLocaleString("en")} of {Math.max(page, pageCount).toLocaleString("en")}
          {countIsCapped ? "+" : ""}
        </p>
      ) : null}
      {nextHref ? (
        <Link href={nextHref} rel="next" className={linkClass}>
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
