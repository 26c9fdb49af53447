"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { toast } from "@/components/ui/toast";
import { activateSequenceAction } from "@/lib/actions/sequences/activate-sequence-action";
import { archiveSequenceAction } from "@/lib/actions/sequences/archive-sequence-action";
import { pauseSequenceAction } from "@/lib/actions/sequences/pause-sequence-action";
import { resumeSequenceAction } from "@/lib/actions/sequences/resume-sequence-action";
import type { ActionResult } from "@/lib/actions/safe-action";
import { activationChecklist } from "@/lib/sequences/activation-checklist";
import { allows } from "@/lib/sequences/status-actions";
import { toastResult } from "./action-feedback";
import { DuplicateSequenceButton } from "./duplicate-sequence-button";

type Props = {
  sequenceId: string;
  sequenceName: string;
  status: string;
  hasTriggers: boolean;
  steps: { subject: string; body: string }[];
  /** For a paused sequence: how many contacts are due and over how long they go out (lib/pacing/resume-preview.ts). */
  resumeSummary?: string | null;
};

/**
 * Activate / Pause / Resume / Archive for the sequence's current status, plus
 * Duplicate; for a draft, a live checklist of what activation needs.
 */
export function StatusControls({ sequenceId, sequenceName, status, hasTriggers, steps, resumeSummary = null }: Props) {
  const router = useRouter();
  const id = useId();
  const [manualOnly, setManualOnly] = useState(false);
  /** Merge-tag gaps activation reported ("Step 1: 12 of 44 have no company"), and whether the user accepts them. */
  const [gaps, setGaps] = useState<string[]>([]);
  const [acknowledged, setAcknowledged] = useState(false);
  // A refusal is about the data it saw: once the steps, triggers or choices change, it is stale and hidden.
  const situation = JSON.stringify([status, hasTriggers, manualOnly, steps]);
  const [refusal, setRefusal] = useState<{ message: string; situation: string } | null>(null);
  const error = refusal && refusal.situation === situation ? refusal.message : null;
  const setError = (message: string | null) => setRefusal(message === null ? null : { message, situation });
  const [pending, startTransition] = useTransition();
  const checklist = activationChecklist({ steps, hasTriggers, manualOnly });

  function activate() {
    startTransition(async () => {
      const result = await activateSequenceAction({ sequenceId, manualOnly: !hasTriggers && manualOnly, acknowledgeMissingValues: gaps.length > 0 && acknowledged });
      const reported = result.ok ? undefined : result.fieldErrors?.acknowledgeMissingValues;
      if (reported) {
        setGaps(reported);
        setAcknowledged(false);
      }
      setError(result.ok || reported ? null : result.message);
      if (toastResult(result, "Sequence activated")) router.refresh();
    });
  }
  /** For ConfirmDialog: a refusal stays in the dialog. */
  async function resume() {
    const result = await resumeSequenceAction({ sequenceId });
    if (!result.ok) throw new Error(result.message);
    setError(null);
    toast({ title: `Sequence resumed: ${result.data.restarted} contacts continue`, variant: "success" });
    router.refresh();
  }
  /** For ConfirmDialog: it shows a thrown message and stays open. */
  async function confirmed(action: (input: { sequenceId: string }) => Promise<ActionResult<unknown>>, success: string) {
    const result = await action({ sequenceId });
    if (!result.ok) throw new Error(result.message);
    setError(null);
    toast({ title: success, variant: "success" });
    router.refresh();
  }

  return (
    <div className="grid justify-items-end gap-2">
      <div className="flex flex-wrap items-center justify-end gap-2">
        {status === "draft" && !hasTriggers ? (
          <div className="flex items-center gap-2 text-sm">
            <input id={`${id}-manual`} type="checkbox" className="size-4 accent-primary" checked={manualOnly} onChange={(e) => setManualOnly(e.target.checked)} />
            <label htmlFor={`${id}-manual`}>Manual enrollment only</label>
          </div>
        ) : null}
        {allows(status, "activate") ? (
          <Button type="button" pending={pending} onClick={activate}>
            Activate
          </Button>
        ) : null}
        {allows(status, "pause") ? (
          <ConfirmDialog
            trigger={<Button type="button" variant="outline">Pause</Button>}
            title={`Pause "${sequenceName}"?`}
            description="No more steps are sent and no one new is enrolled until you resume. Each contact then continues where they were."
            confirmLabel="Pause sequence"
            onConfirm={() => confirmed(pauseSequenceAction, "Sequence paused")}
          />
        ) : null}
        {allows(status, "resume") ? (
          <ConfirmDialog
            trigger={<Button type="button">Resume</Button>}
            title={`Resume "${sequenceName}"?`}
            description={
              <span data-testid="resume-estimate">
                {resumeSummary ?? "Each contact continues where they were."} The sending schedule still applies.
              </span>
            }
            confirmLabel="Resume sequence"
            onConfirm={resume}
          />
        ) : null}
        {allows(status, "archive") ? (
          <ConfirmDialog
            trigger={<Button type="button" variant="outline">Archive</Button>}
            title={`Archive "${sequenceName}"?`}
            description="An archived sequence cannot be edited or activated again; you can still duplicate it. Contacts still in it must be removed first."
            confirmLabel="Archive sequence"
            destructive
            onConfirm={() => confirmed(archiveSequenceAction, "Sequence archived")}
          />
        ) : null}
        <DuplicateSequenceButton sequenceId={sequenceId} />
      </div>
      {allows(status, "activate") ? (
        <ul aria-label="Before activating" className="grid w-full max-w-sm gap-1 rounded-md border p-3 text-sm">
          {checklist.map((check) => (
            <li key={check.id} className="flex items-start gap-2" data-check={check.id} data-done={check.done}>
              <span aria-hidden className={check.done ? "text-success-foreground" : "text-muted-foreground"}>
                {check.done ? "✓" : "○"}
              </span>
              <span>
                <span className="sr-only">{check.done ? "Done: " : "To do: "}</span>
                {check.label}
                {check.detail && !check.done ? <span className="block text-xs text-muted-foreground">{check.detail}</span> : null}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {allows(status, "activate") && gaps.length > 0 ? (
        <div className="grid w-full max-w-sm gap-2 rounded-md border border-destructive/40 p-3 text-sm" data-merge-gaps="">
          <p className="font-medium">Some contacts have no value for a merge tag without a fallback:</p>
          <ul className="list-disc pl-5">
            {gaps.map((gap) => (
              <li key={gap}>{gap}</li>
            ))}
          </ul>
          <div className="flex items-center gap-2">
            <input id={`${id}-ack-gaps`} type="checkbox" className="size-4 accent-primary" checked={acknowledged} onChange={(e) => setAcknowledged(e.target.checked)} />
            <label htmlFor={`${id}-ack-gaps`}>Send anyway: they get an empty spot there</label>
          </div>
        </div>
      ) : null}
      {error ? (
        <p className="max-w-md text-right text-sm font-medium text-destructive" data-status-error="">
          {error}
        </p>
      ) : null}
    </div>
  );
}
