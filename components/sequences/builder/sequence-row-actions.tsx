"use client";

import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { toast } from "@/components/ui/toast";
import { archiveSequenceAction } from "@/lib/actions/sequences/archive-sequence-action";
import { allows } from "@/lib/sequences/status-actions";
import { DuplicateSequenceButton } from "./duplicate-sequence-button";

/** Duplicate, and Archive where the status allows it (draft or paused), for one row of the sequences list. */
export function SequenceRowActions({ sequenceId, name, status }: { sequenceId: string; name: string; status: string }) {
  const router = useRouter();
  return (
    <div className="flex justify-end gap-2">
      <DuplicateSequenceButton sequenceId={sequenceId} label={`Duplicate ${name}`} />
      {allows(status, "archive") ? (
        <ConfirmDialog
          trigger={
            <Button type="button" variant="outline" size="sm" aria-label={`Archive ${name}`}>
              Archive
            </Button>
          }
          title={`Archive "${name}"?`}
          description="An archived sequence cannot be edited or activated again; you can still duplicate it. Contacts still in it must be removed first."
          confirmLabel="Archive sequence"
          destructive
          onConfirm={async () => {
            const result = await archiveSequenceAction({ sequenceId });
            if (!result.ok) throw new Error(result.message);
            toast({ title: `"${name}" archived`, variant: "success" });
            router.refresh();
          }}
        />
      ) : null}
    </div>
  );
}
