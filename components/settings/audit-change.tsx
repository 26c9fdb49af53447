import { changedFields } from "@/lib/audit/diff";

/** The fields an audited change touched, before → after; the full states on demand. */
export function AuditChange({ before, after }: { before: unknown; after: unknown }) {
  const changes = changedFields(before, after);
  if (changes.length === 0) return <span className="text-muted-foreground">—</span>;
  return (
    <details>
      <summary className="cursor-pointer">
        {changes
          .slice(0, 3)
          .map((c) => c.field)
          .join(", ")}
        {changes.length > 3 ? ` and ${changes.length - 3} more` : ""}
      </summary>
      <dl className="mt-1 grid gap-1 text-xs">
        {changes.map((c) => (
          <div key={c.field}>
            <dt className="font-medium">{c.field}</dt>
            <dd className="break-all text-muted-foreground">
              {c.before} → {c.after}
            </dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
