import Link from "next/link";
import { formatDateTime } from "@/components/format";
import { EmptyState } from "@/components/ui/empty-state";
import type { TimelineItem } from "@/lib/contacts/contact-detail";
import type { TimelineTone } from "@/lib/contacts/timeline";
import { cn } from "@/lib/utils/cn";

const TONE_DOT: Record<TimelineTone, string> = {
  neutral: "bg-muted-foreground",
  // The -foreground shades: the plain ones are badge backgrounds, too pale for a dot on white.
  success: "bg-success-foreground",
  warning: "bg-warning-foreground",
  danger: "bg-destructive",
};

/** What happened to this contact in each sequence, newest first, one sentence per event. */
export function ContactTimeline({ items }: { items: TimelineItem[] }) {
  if (items.length === 0) return <EmptyState title="Nothing has happened yet" description="Enrollments, sends, skips and exits appear here." />;
  return (
    <ol className="grid gap-3" aria-label="Timeline">
      {items.map((item) => (
        <li key={item.id} className="grid grid-cols-[auto_1fr] gap-3" data-event-type={item.type}>
          <span aria-hidden="true" className={cn("mt-1.5 size-2.5 rounded-full", TONE_DOT[item.tone])} />
          <div className="grid gap-0.5">
            <p className="text-sm font-medium">{item.sentence}</p>
            <p className="text-xs text-muted-foreground">
              <time dateTime={item.at.toISOString()}>{formatDateTime(item.at)}</time>
              {" · "}
              <Link href={`/sequences/${item.sequenceId}`} className="hover:underline">
                {item.sequenceName}
              </Link>
            </p>
            {item.detail ? <p className="text-xs text-muted-foreground">{item.detail}</p> : null}
          </div>
        </li>
      ))}
    </ol>
  );
}
