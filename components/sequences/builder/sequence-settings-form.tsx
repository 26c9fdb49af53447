"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/select";
import { Switch } from "@/components/ui/switch";
import { Textarea } from "@/components/ui/textarea";
import { useUnsavedChangesGuard } from "@/components/ui/use-unsaved-changes-guard";
import { createSequenceAction } from "@/lib/actions/sequences/create-sequence-action";
import { updateSequenceSettingsAction } from "@/lib/actions/sequences/update-sequence-settings-action";
import type { FieldErrors } from "@/lib/errors";
import { REENTRY_POLICY_LABELS, type TReentryPolicy } from "@/lib/sequences/reentry";
import { ZSequenceSettings, type TSequenceSettings } from "@/lib/validations/sequence";
import { toastResult, validateInput } from "./action-feedback";
import { ExitRulesList } from "./exit-rules-list";

type Props = (
  | { mode: "create"; initial?: undefined; sequenceId?: undefined }
  | { mode: "edit"; initial: TSequenceSettings; sequenceId: string }
) & { replyDetection: boolean; senders: SenderChoices };

/** The senders to pick from (Settings → Senders), and who "the default" is now. */
export type SenderChoices = { options: { id: string; label: string }[]; defaultLabel: string };

const EMPTY: TSequenceSettings = { name: "", description: "", exitOnReply: true, reentryPolicy: "never", autoReplyPauseDays: null, senderId: null };

/** Name, description and exit/re-entry rules: creates a draft, or saves an existing sequence. */
export function SequenceSettingsForm({ mode, initial, sequenceId, replyDetection, senders }: Props) {
  const router = useRouter();
  const [values, setValues] = useState<TSequenceSettings>(initial ?? EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, startTransition] = useTransition();
  const saved = initial ?? EMPTY;
  // Compared as saved: the schema trims text, so trailing spaces are no unsaved change.
  const same = (a: unknown, b: unknown) => (typeof a === "string" && typeof b === "string" ? a.trim() === b.trim() : a === b);
  useUnsavedChangesGuard((Object.keys(saved) as (keyof TSequenceSettings)[]).some((key) => !same(values[key], saved[key])));
  const set = <K extends keyof TSequenceSettings>(key: K, value: TSequenceSettings[K]) => setValues((v) => ({ ...v, [key]: value }));

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const checked = validateInput(ZSequenceSettings, values);
    if (!checked.ok) return setErrors(checked.fieldErrors);
    startTransition(async () => {
      if (mode === "create") {
        // The creator's zone becomes the sequence's fallback zone (changeable in the schedule form).
        const result = await createSequenceAction({ ...checked.data, timezone: Intl.DateTimeFormat().resolvedOptions().timeZone });
        setErrors(result.ok ? {} : (result.fieldErrors ?? {}));
        if (toastResult(result, "Sequence created")) router.push(`/sequences/${result.data.id}`);
      } else {
        const result = await updateSequenceSettingsAction({ ...checked.data, sequenceId });
        setErrors(result.ok ? {} : (result.fieldErrors ?? {}));
        if (toastResult(result, "Settings saved")) router.refresh();
      }
    });
  }

  return (
    <form onSubmit={submit} noValidate className="grid gap-4" aria-label="Sequence settings">
      <Field label="Name" htmlFor="sequence-name" error={errors.name}>
        <Input value={values.name} onChange={(e) => set("name", e.target.value)} maxLength={120} required />
      </Field>
      <Field label="Description" htmlFor="sequence-description" error={errors.description} hint="Optional: what this sequence is for.">
        <Textarea value={values.description} onChange={(e) => set("description", e.target.value)} rows={2} />
      </Field>
      <Field
        label="Sender"
        htmlFor="sequence-sender"
        error={errors.senderId}
        hint="Who the emails are from. A change applies from each contact's next step. Admins manage senders in Settings → Senders."
      >
        <NativeSelect value={values.senderId ?? ""} onChange={(e) => set("senderId", e.target.value || null)}>
          <option value="">Default sender ({senders.defaultLabel})</option>
          {senders.options.map((option) => (
            <option key={option.id} value={option.id}>
              {option.label}
            </option>
          ))}
        </NativeSelect>
      </Field>
      <fieldset className="grid gap-3 rounded-md border p-4">
        <legend className="px-1 text-sm font-semibold">Exit rules</legend>
        <ExitRulesList exitOnReply={values.exitOnReply} replyDetection={replyDetection} />
        <div className="flex items-center gap-3">
          <Switch id="sequence-exit-on-reply" checked={values.exitOnReply} onCheckedChange={(checked) => set("exitOnReply", checked)} />
          <label htmlFor="sequence-exit-on-reply" className="text-sm font-medium">
            Exit when the contact replies
          </label>
        </div>
        <Field
          label="Hold after an out-of-office reply (days)"
          htmlFor="sequence-auto-reply-pause"
          error={errors.autoReplyPauseDays}
          hint="An auto-reply never ends the sequence. With a number here, it holds the contact's next step that many days; empty: no hold."
        >
          <Input
            type="number"
            inputMode="numeric"
            min={1}
            max={90}
            value={values.autoReplyPauseDays ?? ""}
            onChange={(e) => set("autoReplyPauseDays", e.target.value === "" ? null : Number(e.target.value))}
          />
        </Field>
        <Field label="Re-entry policy" htmlFor="sequence-reentry" error={errors.reentryPolicy} hint="Whether a contact who has left may be enrolled again.">
          <NativeSelect value={values.reentryPolicy} onChange={(e) => set("reentryPolicy", e.target.value as TReentryPolicy)}>
            {Object.entries(REENTRY_POLICY_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </NativeSelect>
        </Field>
      </fieldset>
      <div>
        <Button type="submit" pending={pending}>
          {mode === "create" ? "Create sequence" : "Save settings"}
        </Button>
      </div>
    </form>
  );
}
