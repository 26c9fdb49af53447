"use client";

import { useRouter } from "next/navigation";
import { removeFromSequenceAction } from "@/lib/actions/sequences/remove-from-sequence-action";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { toast } from "@/components/ui/toast";
import { useRefreshSequenceStats } from "./builder/sequence-stats-query";

export function RemoveEnrollmentButton({ contactId, sequenceId, contactLabel, sequenceName }: {
  contactId: string;
  sequenceId: string;
  contactLabel: string;
  sequenceName: string;
}) {
  const router = useRouter();
  const refreshStats = useRefreshSequenceStats(sequenceId);
  return (
    <ConfirmDialog
      trigger={<Button variant="outline" size="sm">Remove from sequence</Button>}
      title="Remove from sequence?"
      description={`${contactLabel} will receive no further steps of "${sequenceName}". This cannot be undone, but they can be enrolled again if the re-entry policy allows.`}
      confirmLabel="Remove"
      destructive
      onConfirm={async () => {
        const result = await removeFromSequenceAction({ contactId, sequenceId });
        if (!result.ok) throw new Error(result.message);
        toast({ title: `${contactLabel} removed from the sequence`, variant: "success" });
        router.refresh();
        refreshStats();
      }}
    />
  );
}
