"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toastResult } from "@/components/sequences/builder/action-feedback";
import { Switch } from "@/components/ui/switch";
import { setSequenceTrackingAction } from "@/lib/actions/sequences/set-sequence-tracking-action";

/** Open and click tracking of the sequence's next messages. Off: plain links and no pixel. */
export function TrackingToggle({ sequenceId, enabled, canEdit }: { sequenceId: string; enabled: boolean; canEdit: boolean }) {
  const router = useRouter();
  const [checked, setChecked] = useState(enabled);
  const [pending, startTransition] = useTransition();
  function change(next: boolean) {
    setChecked(next);
    startTransition(async () => {
      const result = await setSequenceTrackingAction({ sequenceId, enabled: next });
      if (toastResult(result, next ? "Tracking is on" : "Tracking is off")) router.refresh();
      else setChecked(!next);
    });
  }
  return (
    <div className="flex items-center gap-3">
      <Switch id="tracking-enabled" checked={checked} onCheckedChange={change} disabled={!canEdit || pending} />
      <label htmlFor="tracking-enabled" className="text-sm font-medium">
        Track opens and clicks
      </label>
    </div>
  );
}
