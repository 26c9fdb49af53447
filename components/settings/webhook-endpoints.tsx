"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { deleteWebhookEndpointAction } from "@/lib/actions/settings/delete-webhook-endpoint-action";
import { setWebhookEndpointEnabledAction } from "@/lib/actions/settings/set-webhook-endpoint-enabled-action";
import type { WebhookEndpointSummary } from "@/lib/outbound-webhooks/queries";
import { formatDateTime } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { toast } from "@/components/ui/toast";
import { WebhookEndpointForm } from "./webhook-endpoint-form";

export function WebhookEndpoints({ endpoints }: { endpoints: WebhookEndpointSummary[] }) {
  return (
    <div className="grid gap-4">
      <div>
        <AddEndpointDialog />
      </div>
      {endpoints.length === 0 ? (
        <EmptyState title="No webhook endpoints yet" description="Add an endpoint to have Stepwise POST enrollments, sends and exits to your systems as they happen." />
      ) : (
        <Table aria-label="Webhook endpoints">
          <TableHeader>
            <TableRow>
              <TableHead>Endpoint</TableHead>
              <TableHead>Events</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {endpoints.map((e) => (
              <TableRow key={e.id} data-webhook-endpoint={e.url}>
                <TableCell className="max-w-xs">
                  <Link href={`/settings/webhooks/${e.id}`} className="break-all text-primary hover:underline">
                    {e.url}
                  </Link>
                  {e.description ? <div className="text-xs text-muted-foreground">{e.description}</div> : null}
                </TableCell>
                <TableCell className="text-xs">{e.events.join(", ")}</TableCell>
                <TableCell>
                  {e.disabledAt ? (
                    <div>
                      <Badge variant="secondary">disabled</Badge>
                      <div className="text-xs text-muted-foreground">
                        {e.disabledReason} · {formatDateTime(e.disabledAt)}
                      </div>
                    </div>
                  ) : e.failingSince ? (
                    <div>
                      <Badge variant="warning">failing</Badge>
                      <div className="text-xs text-muted-foreground">since {formatDateTime(e.failingSince)}</div>
                    </div>
                  ) : (
                    <Badge variant="success">enabled</Badge>
                  )}
                </TableCell>
                <TableCell className="text-right whitespace-nowrap">
                  <EnableButton endpoint={e} /> <DeleteButton endpoint={e} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}

function AddEndpointDialog() {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) setSecret(null);
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button>Add endpoint</Button>
      </DialogTrigger>
      <DialogContent>
        {secret ? (
          <>
            <DialogHeader>
              <DialogTitle>Endpoint added</DialogTitle>
              <DialogDescription>Verify each delivery's signature with this secret (docs/outbound-webhooks.md). You can reveal it again on the endpoint's page.</DialogDescription>
            </DialogHeader>
            <Input readOnly value={secret} aria-label="Signing secret" className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
            <DialogFooter>
              <Button type="button" onClick={() => onOpenChange(false)}>
                Done
              </Button>
            </DialogFooter>
          </>
        ) : (
          <>
            <DialogHeader>
              <DialogTitle>Add webhook endpoint</DialogTitle>
              <DialogDescription>It receives the chosen events of changes made from now on, signed per the Standard Webhooks specification.</DialogDescription>
            </DialogHeader>
            <WebhookEndpointForm
              onCancel={() => onOpenChange(false)}
              onDone={({ secret: created }) => {
                setSecret(created ?? null);
                router.refresh();
              }}
            />
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}

function EnableButton({ endpoint }: { endpoint: WebhookEndpointSummary }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const enable = !!endpoint.disabledAt;
  return (
    <Button
      variant="outline"
      size="sm"
      pending={pending}
      onClick={async () => {
        setPending(true);
        const result = await setWebhookEndpointEnabledAction({ id: endpoint.id, enabled: enable });
        setPending(false);
        if (!result.ok) return toast({ title: result.message, variant: "destructive" });
        toast({ title: enable ? "Endpoint enabled" : "Endpoint disabled", variant: "success" });
        router.refresh();
      }}
    >
      {enable ? "Enable" : "Disable"}
    </Button>
  );
}

function DeleteButton({ endpoint }: { endpoint: WebhookEndpointSummary }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={
        <Button variant="outline" size="sm">
          Delete
        </Button>
      }
      title="Delete this endpoint?"
      description={`${endpoint.url} stops receiving events, and its delivery log is deleted. This cannot be undone.`}
      confirmLabel="Delete endpoint"
      destructive
      onConfirm={async () => {
        const result = await deleteWebhookEndpointAction({ id: endpoint.id });
        if (!result.ok) throw new Error(result.message);
        toast({ title: "Endpoint deleted", variant: "success" });
        router.refresh();
      }}
    />
  );
}
