import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";

/** Every admin page renders on demand: show where the page will be while its data loads. */
export default function Loading() {
  return (
    <div aria-busy="true" className="grid gap-6">
      <div className="flex items-center gap-3">
        <Skeleton className="h-8 w-56" />
        <Spinner label="Loading the page" className="text-muted-foreground" />
      </div>
      <Skeleton className="h-24 w-full" />
      <Skeleton className="h-64 w-full" />
    </div>
  );
}
