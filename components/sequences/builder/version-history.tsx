import { formatDateTime } from "@/components/format";
import type { VersionCounts } from "@/lib/sequences/versions/history";

type Version = { number: number; summary: string; publishedBy: string | null; publishedAt: Date; counts: VersionCounts };

function moved(c: VersionCounts): string {
  const n = (c.due_changed ?? 0) + (c.moved_from_deleted ?? 0) + (c.steps_added ?? 0) + (c.backfilled ?? 0);
  const total = n + (c.unchanged ?? 0);
  return `${total} in flight, ${n} moved`;
}

/** Who published what, when: newest first. */
export function VersionHistory({ versions }: { versions: Version[] }) {
  if (versions.length === 0) {
    return <p className="text-sm text-muted-foreground">No versions yet. Editing a sequence contacts are in makes a draft; publishing it records a version here.</p>;
  }
  return (
    <ol className="grid gap-2 text-sm" aria-label="Version history">
      {versions.map((v) => (
        <li key={v.number} data-version={v.number} className="rounded-md border px-3 py-2">
          <div className="font-medium">
            Version {v.number} · {formatDateTime(v.publishedAt)}
            {v.publishedBy ? ` · ${v.publishedBy}` : ""}
          </div>
          <div>{v.summary}</div>
          <div className="text-muted-foreground">{moved(v.counts)}</div>
        </li>
      ))}
    </ol>
  );
}
