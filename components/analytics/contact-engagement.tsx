import Link from "next/link";
import { formatDateTime } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { CONTACT_ENGAGEMENT_LIMIT } from "@/lib/tracking/contact-engagement";
import { loadContactEngagement } from "@/lib/tracking/queries";
import { TRACKING_EVENT_TYPE_WORDINGS } from "@/lib/wordings";
import { MACHINE_REASON_WORDS } from "./format";

/** The contact page's opens and clicks, machine ones marked, each linked to its message on the Sent mail page. */
export async function ContactEngagementSection({ contactId }: { contactId: string }) {
  const items = await loadContactEngagement(contactId);
  return (
    <section className="mt-8 space-y-2" aria-labelledby="engagement-heading">
      <h2 id="engagement-heading" className="mb-1 text-lg font-semibold">
        Opens and clicks
      </h2>
      <p className="mb-3 text-sm text-muted-foreground">Newest first. Machine traffic (privacy proxies, link scanners, bots) is marked and not counted in the stats.</p>
      {items.length === 0 ? <p className="text-sm text-muted-foreground">No opens or clicks recorded.</p> : null}
      <ol className="space-y-2" aria-label="Opens and clicks" hidden={items.length === 0}>
        {items.map((item) => (
          <li key={item.id} className="flex flex-wrap items-baseline gap-x-2 text-sm" data-engagement={item.type} data-machine={item.machine}>
            <span className="font-medium">{TRACKING_EVENT_TYPE_WORDINGS[item.type]}</span>
            <span>
              {item.stepSubject} <span className="text-muted-foreground">({item.sequenceName})</span>
            </span>
            {item.url ? <span className="max-w-80 truncate text-muted-foreground">{item.url}</span> : null}
            {item.machine ? (
              <Badge variant="secondary" title={MACHINE_REASON_WORDS[item.machineReason ?? ""] ?? "machine traffic"}>
                machine: {MACHINE_REASON_WORDS[item.machineReason ?? ""] ?? "machine traffic"}
              </Badge>
            ) : null}
            <span className="text-muted-foreground">{formatDateTime(item.at)}</span>
            {item.mailId ? (
              <Link href={`/mail/${item.mailId}`} className="text-primary hover:underline">
                View message
              </Link>
            ) : null}
          </li>
        ))}
      </ol>
      {items.length === CONTACT_ENGAGEMENT_LIMIT ? <p className="text-xs text-muted-foreground">The latest {CONTACT_ENGAGEMENT_LIMIT} are shown.</p> : null}
    </section>
  );
}
