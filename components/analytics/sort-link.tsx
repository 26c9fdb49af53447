import Link from "next/link";
import type { TSequenceSort } from "@/lib/validations/analytics";

type Sort = TSequenceSort["sort"];

/** aria-sort for a column's header cell. */
export function ariaSort(column: Sort, current: TSequenceSort): "ascending" | "descending" | "none" {
  return current.sort === column ? (current.dir === "asc" ? "ascending" : "descending") : "none";
}

/**
 * A column header that sorts the sequences list by it: descending first
 * (the highest rate on top), the other way on a second click. Keeps the search.
 */
export function SortLink({ column, label, current, q }: { column: Sort; label: string; current: TSequenceSort; q?: string }) {
  const active = current.sort === column;
  const dir = active && current.dir === "desc" ? "asc" : "desc";
  const params = new URLSearchParams({ ...(q ? { q } : {}), sort: column, dir });
  return (
    <Link href={`/sequences?${params.toString()}`} className="inline-flex items-center gap-1 hover:underline">
      {label}
      <span aria-hidden="true" className="text-xs text-muted-foreground">
        {active ? (current.dir === "desc" ? "↓" : "↑") : "↕"}
      </span>
    </Link>
  );
}
