"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { formatDateTime } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { toast } from "@/components/ui/toast";
import { deleteSenderAction } from "@/lib/actions/settings/delete-sender-action";
import { setDefaultSenderAction } from "@/lib/actions/settings/set-default-sender-action";
import type { SenderListItem } from "@/lib/senders/queries";
import { SenderFormDialog } from "./sender-form-dialog";

type Props = { senders: SenderListItem[]; environment: { from: string; dkimAligned: boolean | null }; dkimDomain: string | null };

export function SenderList({ senders, environment, dkimDomain }: Props) {
  const hasDefault = senders.some((s) => s.isDefault);
  return (
    <div className="grid gap-4">
      <div>
        <SenderFormDialog />
      </div>
      <p className="text-sm" data-environment-sender="">
        <span className="font-medium">The environment&apos;s sender: </span>
        {environment.from} (MAIL_FROM)
        {hasDefault ? " · " : <Badge className="ml-2">default</Badge>}
        {hasDefault ? <SetDefaultButton senderId={null} label="the environment's sender" /> : null}
        {environment.dkimAligned === false ? <AlignmentWarning dkimDomain={dkimDomain} /> : null}
      </p>
      {senders.length === 0 ? (
        <EmptyState title="No senders yet" description="Every sequence sends as the environment's sender. Add a sender to send some sequences from another name or address." />
      ) : (
        <Table aria-label="Senders">
          <TableHeader>
            <TableRow>
              <TableHead>From</TableHead>
              <TableHead>Reply-to</TableHead>
              <TableHead>Used by</TableHead>
              <TableHead>Last changed</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {senders.map((sender) => (
              <TableRow key={sender.id} data-sender={sender.fromAddress}>
                <TableCell>
                  <div className="font-medium">
                    {sender.fromName}
                    {sender.isDefault ? <Badge className="ml-2">default</Badge> : null}
                  </div>
                  <div className="text-xs text-muted-foreground">{sender.fromAddress}</div>
                  {sender.dkimAligned === false ? <AlignmentWarning dkimDomain={dkimDomain} /> : null}
                </TableCell>
                <TableCell className="text-sm">{sender.replyTo ?? <span className="text-muted-foreground">the from address</span>}</TableCell>
                <TableCell className="text-sm">{sender.sequences.length === 0 ? <span className="text-muted-foreground">no sequence</span> : sender.sequences.join(", ")}</TableCell>
                <TableCell className="text-sm">
                  {formatDateTime(sender.updatedAt)}
                  {sender.updatedBy ? <div className="text-xs text-muted-foreground">by {sender.updatedBy}</div> : null}
                </TableCell>
                <TableCell className="space-x-2 text-right whitespace-nowrap">
                  {sender.isDefault ? null : <SetDefaultButton senderId={sender.id} label={sender.fromName} />}
                  <SenderFormDialog sender={sender} />
                  <DeleteSenderButton sender={sender} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}

/** DMARC passes on DKIM only when the From domain aligns with the signing domain. */
function AlignmentWarning({ dkimDomain }: { dkimDomain: string | null }) {
  return (
    <p className="mt-1 text-xs text-amber-700 dark:text-amber-400" role="note" data-dkim-warning="">
      Mail is DKIM-signed for {dkimDomain}, a different domain: receivers checking DMARC may reject or junk it. Use an address at {dkimDomain}, or sign for this domain (DKIM_DOMAIN).
    </p>
  );
}

function SetDefaultButton({ senderId, label }: { senderId: string | null; label: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <Button
      variant="outline"
      size="sm"
      pending={pending}
      onClick={() =>
        startTransition(async () => {
          const result = await setDefaultSenderAction({ senderId });
          toast(result.ok ? { title: `The default is now ${label}`, variant: "success" } : { title: result.message, variant: "destructive" });
          if (result.ok) router.refresh();
        })
      }
    >
      Make default
    </Button>
  );
}

function DeleteSenderButton({ sender }: { sender: SenderListItem }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={
        <Button variant="outline" size="sm">
          Delete
        </Button>
      }
      title={`Delete the sender “${sender.fromName}”?`}
      description={`${sender.fromAddress} will no longer be available to sequences. A sender a sequence uses, or the default, cannot be deleted.`}
      confirmLabel="Delete sender"
      destructive
      onConfirm={async () => {
        const result = await deleteSenderAction({ senderId: sender.id });
        if (!result.ok) throw new Error(result.message);
        toast({ title: `Sender “${sender.fromName}” deleted`, variant: "success" });
        router.refresh();
      }}
    />
  );
}
