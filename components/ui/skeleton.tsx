import type { ComponentProps } from "react";
import { cn } from "@/lib/utils/cn";

/** Decorative placeholder; wrap loading regions in aria-busy or add a Spinner label for screen readers. */
export function Skeleton({ className, ...props }: ComponentProps<"div">) {
  return <div aria-hidden="true" className={cn("animate-pulse rounded-md bg-muted", className)} {...props} />;
}
