"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/select";
import { addTriggerAction } from "@/lib/actions/sequences/add-trigger-action";
import { removeTriggerAction } from "@/lib/actions/sequences/remove-trigger-action";
import type { FieldErrors } from "@/lib/errors";
import { TRIGGER_DEFINITIONS, TRIGGER_TYPES, type TTriggerType } from "@/lib/sequences/triggers";
import { ZAddTrigger, type TNewTrigger } from "@/lib/validations/sequence";
import { toastResult, validateInput } from "./action-feedback";

export type BuilderTrigger = { id: string; description: string };
type Props = { sequenceId: string; triggers: BuilderTrigger[]; tags: { id: string; name: string }[]; canEdit: boolean };

/** Entry triggers: the list (with Remove) and a form to add one of each kind. */
export function TriggersEditor({ sequenceId, triggers, tags, canEdit }: Props) {
  return (
    <div className="grid gap-4">
      {triggers.length === 0 ? (
        <p className="text-sm text-muted-foreground">No entry triggers: contacts are enrolled manually (or through the API) only.</p>
      ) : (
        <ul className="grid gap-2" aria-label="Entry triggers">
          {triggers.map((t) => (
            <li key={t.id} className="flex items-center justify-between gap-3 rounded-md border px-3 py-2 text-sm">
              <span>{t.description}</span>
              {canEdit ? <RemoveTriggerButton sequenceId={sequenceId} trigger={t} /> : null}
            </li>
          ))}
        </ul>
      )}
      {canEdit ? <AddTriggerForm sequenceId={sequenceId} tags={tags} /> : null}
    </div>
  );
}

function RemoveTriggerButton({ sequenceId, trigger }: { sequenceId: string; trigger: BuilderTrigger }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <Button
      type="button"
      variant="ghost"
      size="sm"
      pending={pending}
      onClick={() =>
        startTransition(async () => {
          const result = await removeTriggerAction({ sequenceId, triggerId: trigger.id });
          if (toastResult(result, "Trigger removed")) router.refresh();
        })
      }
    >
      Remove<span className="sr-only"> trigger: {trigger.description}</span>
    </Button>
  );
}

function AddTriggerForm({ sequenceId, tags }: { sequenceId: string; tags: { id: string; name: string }[] }) {
  const router = useRouter();
  const id = useId();
  const [type, setType] = useState<TTriggerType>("tag_added");
  const [tag, setTag] = useState("");
  const [threshold, setThreshold] = useState("");
  const [source, setSource] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, startTransition] = useTransition();

  function trigger(): TNewTrigger {
    switch (type) {
      case "tag_added": {
        // A picked tag goes by id; a new name is created by the server.
        const existing = tags.find((t) => t.name.toLowerCase() === tag.trim().toLowerCase());
        return existing ? { type, tagId: existing.id } : { type, tagName: tag };
      }
      case "score_threshold":
        return { type, scoreThreshold: threshold.trim() === "" ? Number.NaN : Number(threshold) };
      case "signup":
        return { type, signupSource: source.trim() || null };
    }
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (type === "score_threshold" && threshold.trim() === "") return setErrors({ "trigger.scoreThreshold": ["Enter a score"] });
    const checked = validateInput(ZAddTrigger, { sequenceId, trigger: trigger() });
    if (!checked.ok) return setErrors(checked.fieldErrors);
    startTransition(async () => {
      const result = await addTriggerAction(checked.data);
      setErrors(result.ok ? {} : (result.fieldErrors ?? {}));
      if (!toastResult(result, "Trigger added")) return;
      setTag("");
      setThreshold("");
      setSource("");
      router.refresh();
    });
  }

  const tagError = [...(errors["trigger.tagName"] ?? []), ...(errors["trigger.tagId"] ?? [])];
  return (
    <form onSubmit={submit} noValidate className="grid gap-3 rounded-md border border-dashed p-3" aria-label="Add an entry trigger">
      <Field label="Trigger type" htmlFor={`${id}-type`} hint={TRIGGER_DEFINITIONS[type].description}>
        <NativeSelect value={type} onChange={(e) => setType(e.target.value as TTriggerType)}>
          {TRIGGER_TYPES.map((t) => (
            <option key={t} value={t}>
              {TRIGGER_DEFINITIONS[t].label}
            </option>
          ))}
        </NativeSelect>
      </Field>
      {type === "tag_added" ? (
        <Field label="Tag" htmlFor={`${id}-tag`} error={tagError} hint="Pick a tag or type a new one.">
          <Input value={tag} onChange={(e) => setTag(e.target.value)} list={`${id}-tags`} autoComplete="off" />
        </Field>
      ) : null}
      {type === "tag_added" ? (
        <datalist id={`${id}-tags`}>
          {tags.map((t) => (
            <option key={t.id} value={t.name} />
          ))}
        </datalist>
      ) : null}
      {type === "score_threshold" ? (
        <Field label="Score threshold" htmlFor={`${id}-threshold`} error={errors["trigger.scoreThreshold"]}>
          <Input type="number" inputMode="numeric" min={1} step={1} value={threshold} onChange={(e) => setThreshold(e.target.value)} />
        </Field>
      ) : null}
      {type === "signup" ? (
        <Field label="Signup source" htmlFor={`${id}-source`} error={errors["trigger.signupSource"]} hint="Optional: the source or form name. Leave empty for any signup.">
          <Input value={source} onChange={(e) => setSource(e.target.value)} maxLength={100} />
        </Field>
      ) : null}
      <div>
        <Button type="submit" variant="secondary" pending={pending}>
          Add trigger
        </Button>
      </div>
    </form>
  );
}
