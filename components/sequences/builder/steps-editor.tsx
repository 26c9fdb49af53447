"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { toast } from "@/components/ui/toast";
import { addStepAction } from "@/lib/actions/sequences/add-step-action";
import { deleteStepAction } from "@/lib/actions/sequences/delete-step-action";
import { reorderStepsAction } from "@/lib/actions/sequences/reorder-steps-action";
import { updateStepAction } from "@/lib/actions/sequences/update-step-action";
import { bodyTemplateText } from "@/lib/email/body-doc";
import { describeDelay } from "@/lib/sequences/schedule";
import { cn } from "@/lib/utils/cn";
import type { TStepInput } from "@/lib/validations/sequence";
import { useRefreshSequenceStats } from "./sequence-stats-query";
import { StepForm } from "./step-form";
import type { PreviewContext } from "./step-preview";

export type BuilderStep = TStepInput & { id: string };

/** `preview` is given to editors only; without it the list is read-only. */
type Props = { sequenceId: string; steps: BuilderStep[]; preview: PreviewContext | null };

const NEW_STEP: TStepInput = { subject: "", body: "", delayAmount: 1, delayUnit: "days" };

function delayText(step: TStepInput, isFirst: boolean): string {
  if (step.waitUntil) return `Sent at ${step.waitUntil.replace("T", " ")} in each contact's time zone`;
  const delay = describeDelay(step.delayAmount, step.delayUnit);
  const after = isFirst ? "enrollment" : "the previous step";
  return delay === "immediately" ? `Sent immediately after ${after}` : `Sent ${delay} after ${after}`;
}

/**
 * The ordered steps: add, edit, delete, and reorder by drag and drop or with
 * the Move up/down buttons (both save through the same action, and the move
 * is announced to screen readers).
 */
export function StepsEditor({ sequenceId, steps, preview }: Props) {
  const router = useRouter();
  const refreshStats = useRefreshSequenceStats(sequenceId);
  const serverOrder = steps.map((s) => s.id);
  const serverKey = serverOrder.join(",");
  // The order shown while a move is saved; dropped once the page's data changes.
  const [local, setLocal] = useState<{ order: string[]; basedOn: string } | null>(null);
  if (local && local.basedOn !== serverKey) setLocal(null);
  const order = local && local.basedOn === serverKey ? local.order : serverOrder;
  const [reordering, startReorder] = useTransition();
  const [editing, setEditing] = useState<string | null>(null);
  const [dragId, setDragId] = useState<string | null>(null);
  const [overId, setOverId] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [refocus, setRefocus] = useState<{ stepId: string; direction: "up" | "down" } | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const byId = new Map(steps.map((s) => [s.id, s]));
  const visible = order.map((id) => byId.get(id)).filter((s): s is BuilderStep => !!s);
  const canMove = preview !== null && editing === null;

  // Keyboard users keep their place: focus follows the moved step, switching
  // to its other Move button when it reaches the top or the bottom.
  useEffect(() => {
    if (!refocus) return;
    const item = listRef.current?.querySelector(`[data-step-id="${refocus.stepId}"]`);
    const same = item?.querySelector<HTMLButtonElement>(`[data-move="${refocus.direction}"]`);
    const other = item?.querySelector<HTMLButtonElement>(`[data-move="${refocus.direction === "up" ? "down" : "up"}"]`);
    (same && !same.disabled ? same : other)?.focus();
    setRefocus(null);
  }, [refocus, order]);

  function move(stepId: string, to: number, direction?: "up" | "down") {
    const from = order.indexOf(stepId);
    if (from < 0 || to < 0 || to >= order.length || from === to) return;
    const next = [...order];
    next.splice(to, 0, ...next.splice(from, 1));
    const subject = byId.get(stepId)?.subject ?? "Step";
    setLocal({ order: next, basedOn: serverKey });
    if (direction) setRefocus({ stepId, direction });
    startReorder(async () => {
      const result = await reorderStepsAction({ sequenceId, stepIds: next });
      if (!result.ok) {
        setLocal(null);
        setAnnouncement(`Could not move "${subject}": ${result.message}`);
        toast({ title: result.message, variant: "destructive" });
        return;
      }
      setAnnouncement(`Moved "${subject}" to position ${to + 1} of ${next.length}.`);
      router.refresh();
      refreshStats();
    });
  }

  function finishEditing() {
    setEditing(null);
    router.refresh();
    refreshStats();
  }

  return (
    <div className="grid gap-3">
      <p aria-live="polite" role="status" className="sr-only" data-reorder-announcement="">
        {announcement}
      </p>
      {visible.length === 0 ? <p className="text-sm text-muted-foreground">No steps yet. Add the first email of the sequence.</p> : null}
      <ol ref={listRef} className="grid gap-3" aria-label="Steps">
        {visible.map((step, index) => {
          const number = index + 1;
          const isEditing = editing === step.id;
          return (
            <li
              key={step.id}
              data-step-id={step.id}
              draggable={canMove}
              onDragStart={(e) => {
                setDragId(step.id);
                e.dataTransfer.effectAllowed = "move";
                e.dataTransfer.setData("text/plain", step.id);
              }}
              onDragOver={(e) => {
                if (!dragId) return;
                e.preventDefault();
                e.dataTransfer.dropEffect = "move";
                setOverId(step.id);
              }}
              onDrop={(e) => {
                e.preventDefault();
                const dragged = dragId ?? e.dataTransfer.getData("text/plain");
                setDragId(null);
                setOverId(null);
                if (dragged) move(dragged, index);
              }}
              onDragEnd={() => {
                setDragId(null);
                setOverId(null);
              }}
              className={cn(
                "rounded-md border bg-card p-4",
                reordering && "opacity-80",
                canMove && "cursor-grab",
                dragId === step.id && "opacity-50",
                overId === step.id && dragId !== step.id && "border-primary ring-2 ring-primary/30",
              )}
            >
              {isEditing && preview ? (
                <>
                  <h3 className="mb-3 text-sm font-semibold">Edit step {number}</h3>
                  <StepForm
                    initial={step}
                    isFirst={index === 0}
                    preview={preview}
                    successMessage={`Step ${number} saved`}
                    onSave={(values) => updateStepAction({ ...values, sequenceId, stepId: step.id })}
                    onDone={finishEditing}
                  />
                </>
              ) : (
                <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
                  <div className="grid min-w-0 gap-1 text-sm">
                    <h3 className="font-semibold">
                      {canMove ? (
                        <span aria-hidden="true" title="Drag to reorder" className="mr-2 text-muted-foreground">
                          ⠿
                        </span>
                      ) : null}
                      Step {number}: {step.subject}
                    </h3>
                    <p className="text-muted-foreground">{delayText(step, index === 0)}</p>
                    <p className="line-clamp-2 text-muted-foreground">{bodyTemplateText(step.body).trim()}</p>
                  </div>
                  {preview ? (
                    <div className="flex shrink-0 flex-wrap gap-1">
                      <Button type="button" variant="outline" size="sm" data-move="up" aria-label={`Move step ${number} up`} disabled={!canMove || index === 0} onClick={() => move(step.id, index - 1, "up")}>
                        ↑
                      </Button>
                      <Button
                        type="button"
                        variant="outline"
                        size="sm"
                        data-move="down"
                        aria-label={`Move step ${number} down`}
                        disabled={!canMove || index === visible.length - 1}
                        onClick={() => move(step.id, index + 1, "down")}
                      >
                        ↓
                      </Button>
                      <Button type="button" variant="outline" size="sm" aria-label={`Edit step ${number}`} disabled={editing !== null} onClick={() => setEditing(step.id)}>
                        Edit
                      </Button>
                      <ConfirmDialog
                        trigger={
                          <Button type="button" variant="outline" size="sm" disabled={editing !== null}>
                            Delete step
                          </Button>
                        }
                        title={`Delete step ${number}?`}
                        description={`"${step.subject}" will not be sent to anyone who has not received it yet. Messages already sent stay in the history.`}
                        confirmLabel="Delete"
                        destructive
                        onConfirm={async () => {
                          const result = await deleteStepAction({ sequenceId, stepId: step.id });
                          if (!result.ok) throw new Error(result.message);
                          toast({ title: `Step ${number} deleted`, variant: "success" });
                          router.refresh();
                          refreshStats();
                        }}
                      />
                    </div>
                  ) : null}
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {preview ? (
        editing === "new" ? (
          <div className="rounded-md border border-dashed p-4">
            <h3 className="mb-3 text-sm font-semibold">New step {visible.length + 1}</h3>
            <StepForm
              initial={visible.length === 0 ? { ...NEW_STEP, delayAmount: 0, delayUnit: "minutes" } : NEW_STEP}
              isFirst={visible.length === 0}
              preview={preview}
              successMessage="Step added"
              isNew
              onSave={(values) => addStepAction({ ...values, sequenceId })}
              onDone={finishEditing}
            />
          </div>
        ) : (
          <div>
            <Button type="button" onClick={() => setEditing("new")} disabled={editing !== null}>
              Add step
            </Button>
          </div>
        )
      ) : null}
    </div>
  );
}
