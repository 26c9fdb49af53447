import { formatDateTime } from "@/components/format";
import { StatusBadge } from "@/components/ui/status-badge";
import { consentSourceWording } from "@/lib/wordings";

type Consent = { id: string; type: string; source: string; ip: string | null; detail: string | null; createdAt: Date };


/** Consent given and withdrawn, newest first: what shows the contact agreed (GDPR Art. 7). */
export function ConsentHistory({ consents }: { consents: Consent[] }) {
  if (consents.length === 0) return <p className="text-sm text-muted-foreground">No consent events recorded.</p>;
  return (
    <ol className="grid gap-2" aria-label="Consent history">
      {consents.map((c) => (
        <li key={c.id} className="flex flex-wrap items-center gap-2 text-sm">
          <StatusBadge status={c.type} />
          <span>via {consentSourceWording(c.source)}</span>
          <span className="text-muted-foreground">{formatDateTime(c.createdAt)}</span>
          {c.ip ? <span className="text-xs text-muted-foreground">IP {c.ip}</span> : null}
          {c.detail ? <span className="w-full text-xs text-muted-foreground">{c.detail}</span> : null}
        </li>
      ))}
    </ol>
  );
}
