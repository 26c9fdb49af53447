"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { replayWebhookDeliveryAction } from "@/lib/actions/settings/replay-webhook-delivery-action";
import type { DeliveryLogEntry } from "@/lib/outbound-webhooks/queries";
import { WEBHOOK_DELIVERY_STATUS_WORDINGS } from "@/lib/wordings";
import { formatDateTime } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { toast } from "@/components/ui/toast";

const STATUS_VARIANT = { pending: "warning", delivering: "secondary", succeeded: "success", failed: "destructive" } as const;

/** One endpoint's deliveries, each with its attempts, and Replay. */
export function WebhookDeliveryLog({ items, canReplay }: { items: DeliveryLogEntry[]; canReplay: boolean }) {
  if (items.length === 0) return <EmptyState title="No deliveries yet" description="Events appear here as they happen." />;
  return (
    <Table aria-label="Delivery log">
      <TableHeader>
        <TableRow>
          <TableHead>Event</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>Attempts</TableHead>
          <TableHead>
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {items.map((d) => (
          <TableRow key={d.id} data-delivery-status={d.status}>
            <TableCell className="text-sm">
              <code className="text-xs">{d.eventType}</code>
              <div className="text-xs text-muted-foreground">
                {formatDateTime(d.createdAt)} · <code>{d.eventId}</code>
              </div>
            </TableCell>
            <TableCell>
              <Badge variant={STATUS_VARIANT[d.status]}>{WEBHOOK_DELIVERY_STATUS_WORDINGS[d.status]}</Badge>
              {d.status === "pending" && d.nextAttemptAt ? <div className="text-xs text-muted-foreground">next {formatDateTime(d.nextAttemptAt)}</div> : null}
            </TableCell>
            <TableCell className="text-xs">
              <ol className="grid gap-1">
                {d.attempts.map((a) => (
                  <li key={a.number}>
                    #{a.number} {formatDateTime(a.startedAt)} · {a.statusCode ?? "no response"}
                    {a.durationMs !== null ? ` · ${a.durationMs} ms` : ""}
                    {a.error ? <span className="text-destructive"> · {a.error}</span> : null}
                    {a.responseExcerpt ? <div className="truncate text-muted-foreground" title={a.responseExcerpt}>{a.responseExcerpt}</div> : null}
                  </li>
                ))}
              </ol>
            </TableCell>
            <TableCell className="text-right">{canReplay && d.status !== "delivering" ? <ReplayButton deliveryId={d.id} /> : null}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function ReplayButton({ deliveryId }: { deliveryId: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  return (
    <Button
      variant="outline"
      size="sm"
      pending={pending}
      onClick={async () => {
        setPending(true);
        const result = await replayWebhookDeliveryAction({ deliveryId });
        setPending(false);
        if (!result.ok) return toast({ title: result.message, variant: "destructive" });
        toast({ title: "Queued: it is sent again within a minute", variant: "success" });
        router.refresh();
      }}
    >
      Replay
    </Button>
  );
}
