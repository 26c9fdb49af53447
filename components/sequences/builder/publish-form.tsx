"use client";

import { usePathname, useRouter } from "next/navigation";
import { useTransition } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Label } from "@/components/ui/label";
import { Switch } from "@/components/ui/switch";
import { toast } from "@/components/ui/toast";
import { publishDraftAction } from "@/lib/actions/sequences/publish-draft-action";
import { ZPublishDraft } from "@/lib/validations/versions";

type Props = { sequenceId: string; token: string; backfill: boolean; insertsSteps: boolean; inFlight: number };

/**
 * The publish button under a preview. The preview's token goes with it: if
 * anyone moved since, the server refuses, and the page reloads with a fresh
 * preview. The "also send" switch reloads the preview under that policy.
 */
export function PublishForm({ sequenceId, token, backfill, insertsSteps, inFlight }: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const [switching, startSwitch] = useTransition();

  return (
    <div className="grid gap-3">
      {insertsSteps ? (
        <div className="flex items-center gap-2">
          <Switch
            id="publish-backfill"
            checked={backfill}
            disabled={switching}
            onCheckedChange={(checked) => startSwitch(() => router.replace(`${pathname}${checked ? "?backfill=1" : ""}`))}
          />
          <Label htmlFor="publish-backfill">Also send new steps to contacts already past them</Label>
        </div>
      ) : null}
      <div>
        <ConfirmDialog
          trigger={
            <Button type="button" disabled={switching}>
              Publish
            </Button>
          }
          title="Publish these changes?"
          description={`The ${inFlight === 1 ? "contact" : `${inFlight} contacts`} in this sequence move as previewed. This cannot be undone, though you can edit and publish again.`}
          confirmLabel="Publish"
          onConfirm={async () => {
            const input = ZPublishDraft.parse({ sequenceId, token, backfill });
            const result = await publishDraftAction(input);
            if (!result.ok) {
              // A stale preview: show the fresh one (the dialog closes with the page's new data).
              if (result.code === "conflict") router.refresh();
              throw new Error(result.message);
            }
            toast({ title: result.data.version ? `Version ${result.data.version} published` : "Changes published", variant: "success" });
            router.push(`/sequences/${sequenceId}`);
          }}
        />
      </div>
    </div>
  );
}
