"use client";

import type { Editor } from "@tiptap/react";
import { useCallback, useId, useRef, useState, useTransition } from "react";
import { BodyEditor } from "@/components/editor/body-editor";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/select";
import { useUnsavedChangesGuard } from "@/components/ui/use-unsaved-changes-guard";
import type { ActionResult } from "@/lib/actions/safe-action";
import type { FieldErrors } from "@/lib/errors";
import { DELAY_UNIT_LABEL, DELAY_UNITS, MAX_DELAY, ZStepInput, type TDelayUnit, type TStepInput } from "@/lib/validations/sequence";
import { toastResult, validateInput } from "./action-feedback";
import { MergeTagPicker } from "./merge-tag-picker";
import { SaveAsTemplate, StartFromTemplate } from "./step-templates";
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
  /** A new step: offer "Start from template". */
  isNew?: boolean;
};

/** Delay, subject and body of one step, with merge-tag help and a live preview. */
export function StepForm({ initial, isFirst, preview, onSave, onDone, successMessage, isNew = false }: Props) {
  const id = useId();
  const [subject, setSubject] = useState(initial.subject);
  const [body, setBody] = useState(initial.body);
  const [delay, setDelay] = useState(String(initial.delayAmount));
  const [unit, setUnit] = useState<TDelayUnit>(initial.delayUnit);
  const [waitUntil, setWaitUntil] = useState<string | null>(initial.waitUntil ?? null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, startTransition] = useTransition();
  const subjectRef = useRef<HTMLInputElement>(null);
  const editorRef = useRef<Editor | null>(null);
  const onEditorReady = useCallback((editor: Editor) => void (editorRef.current = editor), []);
  /** Where a picked merge tag goes: the field last focused (the body until then). */
  const [tagTarget, setTagTarget] = useState<"subject" | "body">("body");
  /** The body as the editor opened it; changed by "Start from template", which reopens the editor. */
  const [bodySource, setBodySource] = useState({ body: initial.body, version: 0 });
  const [bodyEdited, setBodyEdited] = useState(false);

  function insertTag(key: string) {
    if (tagTarget === "body" && editorRef.current) {
      // An inline token in the body: one node, deleted and moved as one.
      editorRef.current.chain().focus().insertContent({ type: "mergeTag", attrs: { key, fallback: null } }).run();
      return;
    }
    const tag = `{{${key}}}`;
    const field = subjectRef.current;
    const start = field?.selectionStart ?? subject.length;
    const end = field?.selectionEnd ?? subject.length;
    setSubject(subject.slice(0, start) + tag + subject.slice(end));
    requestAnimationFrame(() => {
      field?.focus();
      field?.setSelectionRange(start + tag.length, start + tag.length);
    });
  }

  function startFrom(template: { subject: string; body: string }) {
    setSubject(template.subject);
    setBody(template.body);
    setBodySource((s) => ({ body: template.body, version: s.version + 1 }));
    setBodyEdited(true);
  }
  useUnsavedChangesGuard(subject !== initial.subject || bodyEdited || delay !== String(initial.delayAmount) || unit !== initial.delayUnit || waitUntil !== (initial.waitUntil ?? null));

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
        {isNew ? <StartFromTemplate onPick={startFrom} /> : null}
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
        <BodyEditor
          key={bodySource.version}
          label="Body"
          initial={bodySource.body}
          onChange={(json) => {
            setBody(json);
            setBodyEdited(true);
          }}
          error={errors.body}
          describedBy={`${id}-merge-help`}
          onReady={onEditorReady}
          onFocus={() => setTagTarget("body")}
        />
        <MergeTagPicker id={`${id}-merge-help`} onInsert={insertTag} />
        <div className="flex flex-wrap gap-2">
          <Button type="submit" pending={pending}>
            Save step
          </Button>
          <Button type="button" variant="outline" onClick={onDone} disabled={pending}>
            Cancel
          </Button>
          <SaveAsTemplate subject={subject} body={body} />
        </div>
      </div>
      <StepPreview subject={subject} body={body} sequenceId={preview.sequenceId} />
    </form>
  );
}
