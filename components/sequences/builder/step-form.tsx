"use client";

import { useId, useRef, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { useUnsavedChangesGuard } from "@/components/ui/use-unsaved-changes-guard";
import type { ActionResult } from "@/lib/actions/safe-action";
import type { FieldErrors } from "@/lib/errors";
import { DELAY_UNIT_LABEL, DELAY_UNITS, MAX_DELAY, ZStepInput, type TDelayUnit, type TStepInput } from "@/lib/validations/sequence";
import { toastResult, validateInput } from "./action-feedback";
import { MergeTagPicker } from "./merge-tag-picker";
import { StepPreview, type PreviewContext } from "./step-preview";
import { WaitUntilField } from "./wait-until-field";

type Props = {
  initial: TStepInput;
  /** The first step's delay counts from enrollment, the others' from the previous step. */
  isFirst: boolean;
  /** Given to editors only (steps-editor's flag); the preview itself now renders on the server for a chosen contact. */
  preview: PreviewContext;
  onSave: (step: TStepInput) => Promise<ActionResult<unknown>>;
  onDone: () => void;
  successMessage: string;
};

/** Delay, subject and body of one step, with merge-tag help and a live preview. */
export function StepForm({ initial, isFirst, preview, onSave, onDone, successMessage }: Props) {
  const id = useId();
  const [subject, setSubject] = useState(initial.subject);
  const [body, setBody] = useState(initial.body);
  const [delay, setDelay] = useState(String(initial.delayAmount));
  const [unit, setUnit] = useState<TDelayUnit>(initial.delayUnit);
  const [waitUntil, setWaitUntil] = useState<string | null>(initial.waitUntil ?? null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, startTransition] = useTransition();
  const subjectRef = useRef<HTMLInputElement>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  /** Where a picked merge tag goes: the field last focused (the body until then). */
  const [tagTarget, setTagTarget] = useState<"subject" | "body">("body");

  function insertTag(tag: string) {
    const field = tagTarget === "subject" ? subjectRef.current : bodyRef.current;
    const [value, setValue] = tagTarget === "subject" ? [subject, setSubject] : [body, setBody];
    const start = field?.selectionStart ?? value.length;
    const end = field?.selectionEnd ?? value.length;
    setValue(value.slice(0, start) + tag + value.slice(end));
    requestAnimationFrame(() => {
      field?.focus();
      field?.setSelectionRange(start + tag.length, start + tag.length);
    });
  }
  useUnsavedChangesGuard(subject !== initial.subject || body !== initial.body || delay !== String(initial.delayAmount) || unit !== initial.delayUnit || waitUntil !== (initial.waitUntil ?? null));

  function submit(event: React.FormEvent) {
    event.preventDefault();
    // The field's text goes to the schema as typed: it alone decides what a delay may look like.
    const checked = validateInput(ZStepInput, { subject, body, delayAmount: delay, delayUnit: unit, waitUntil });
    if (!checked.ok) return setErrors(checked.fieldErrors);
    startTransition(async () => {
      const result = await onSave(checked.data);
      setErrors(result.ok ? {} : (result.fieldErrors ?? {}));
      if (toastResult(result, successMessage)) onDone();
    });
  }

  return (
    <form onSubmit={submit} noValidate className="grid gap-4 lg:grid-cols-2">
      <div className="grid content-start gap-4">
        <div className="grid grid-cols-2 gap-3">
          <Field
            label="Delay"
            htmlFor={`${id}-delay`}
            error={errors.delayAmount}
            hint={`${isFirst ? "After enrollment" : "After the previous step"}; 0 to ${MAX_DELAY[unit].toLocaleString("en")} ${unit}`}
          >
            <Input inputMode="numeric" pattern="[0-9]*" value={delay} onChange={(e) => setDelay(e.target.value)} />
          </Field>
          <Field label="Delay unit" htmlFor={`${id}-unit`} error={errors.delayUnit}>
            <NativeSelect value={unit} onChange={(e) => setUnit(e.target.value as TDelayUnit)}>
              {DELAY_UNITS.map((u) => (
                <option key={u} value={u}>
                  {DELAY_UNIT_LABEL[u]}
                </option>
              ))}
            </NativeSelect>
          </Field>
        </div>
        <WaitUntilField id={`${id}-wait-until`} value={waitUntil} onChange={setWaitUntil} error={errors.waitUntil} />
        <Field label="Subject" htmlFor={`${id}-subject`} error={errors.subject}>
          <Input ref={subjectRef} value={subject} onChange={(e) => setSubject(e.target.value)} onFocus={() => setTagTarget("subject")} maxLength={200} />
        </Field>
        <Field label="Body" htmlFor={`${id}-body`} error={errors.body}>
          <Textarea ref={bodyRef} value={body} onChange={(e) => setBody(e.target.value)} onFocus={() => setTagTarget("body")} rows={8} aria-describedby={`${id}-merge-help`} />
        </Field>
        <MergeTagPicker id={`${id}-merge-help`} onInsert={insertTag} />
        <div className="flex gap-2">
          <Button type="submit" pending={pending}>
            Save step
          </Button>
          <Button type="button" variant="outline" onClick={onDone} disabled={pending}>
            Cancel
          </Button>
        </div>
      </div>
      <StepPreview subject={subject} body={body} sequenceId={preview.sequenceId} />
    </form>
  );
}
