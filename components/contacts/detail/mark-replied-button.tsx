"use client";

import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { toast } from "@/components/ui/toast";
import { markRepliedAction } from "@/lib/actions/contacts/mark-replied-action";

/** For a reply that arrived outside the inbound webhook: ends the sequence with reason replied. */
export function MarkRepliedButton({ contactId, sequenceId, sequenceName }: { contactId: string; sequenceId: string; sequenceName: string }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={<Button variant="outline" size="sm">Mark as replied</Button>}
      title="Mark as replied?"
      description={`The contact leaves "${sequenceName}" with reason "replied" and gets no further steps of it.`}
      confirmLabel="Mark as replied"
      onConfirm={async () => {
        const result = await markRepliedAction({ contactId, sequenceId });
        if (!result.ok) throw new Error(result.message);
        toast({ title: `Marked as replied: left "${sequenceName}"`, variant: "success" });
        router.refresh();
      }}
    />
  );
}
