"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { toast } from "@/components/ui/toast";
import { discardDraftAction } from "@/lib/actions/sequences/discard-draft-action";
import type { DiffEntry } from "@/lib/sequences/versions/diff";
import { DraftDiffList } from "./draft-diff-list";

type Props = { sequenceId: string; diff: DiffEntry[]; updatedAt: string; updatedBy: string | null; liveEnrollments: number; canEdit: boolean };

/**
 * Shown above the steps while a draft exists: what it changes, and the way
 * to its preview (publishing happens there) or to dropping it.
 */
export function DraftBanner({ sequenceId, diff, updatedAt, updatedBy, liveEnrollments, canEdit }: Props) {
  const router = useRouter();
  return (
    <section aria-labelledby="draft-heading" data-draft-banner="" className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm dark:bg-amber-950/30">
      <h3 id="draft-heading" className="font-semibold">
        Unpublished changes
      </h3>
      <p className="text-muted-foreground">
        The steps below are a draft (last edited {updatedAt.slice(0, 16).replace("T", " ")} UTC{updatedBy ? ` by ${updatedBy}` : ""}). The{" "}
        {liveEnrollments === 1 ? "contact" : `${liveEnrollments} contacts`} in this sequence keep following the live version until you publish.
      </p>
      <DraftDiffList diff={diff} />
      {canEdit ? (
        <div className="mt-3 flex flex-wrap gap-2">
          <Button asChild size="sm">
            <Link href={`/sequences/${sequenceId}/publish`}>Preview and publish</Link>
          </Button>
          <ConfirmDialog
            trigger={
              <Button type="button" variant="outline" size="sm">
                Discard draft
              </Button>
            }
            title="Discard the unpublished changes?"
            description="Every edit made since the last publish is dropped. The live steps, and everyone following them, stay as they are."
            confirmLabel="Discard draft"
            destructive
            onConfirm={async () => {
              const result = await discardDraftAction({ sequenceId });
              if (!result.ok) throw new Error(result.message);
              toast({ title: "Draft discarded", variant: "success" });
              router.refresh();
            }}
          />
        </div>
      ) : null}
    </section>
  );
}
