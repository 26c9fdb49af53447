"use client";

import { useEffect, useId, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { listTemplatesAction } from "@/lib/actions/templates/list-templates-action";
import { saveTemplateAction } from "@/lib/actions/templates/save-template-action";
import type { FieldErrors } from "@/lib/errors";
import { toastResult } from "./action-feedback";

type TemplateOption = { id: string; name: string; subject: string; body: string };

/** "Start from template": fills a new step's subject and body with a saved template's (a copy). */
export function StartFromTemplate({ onPick }: { onPick: (template: { subject: string; body: string }) => void }) {
  const id = useId();
  const [templates, setTemplates] = useState<TemplateOption[] | null>(null);
  const [picked, setPicked] = useState("");

  useEffect(() => {
    let live = true;
    listTemplatesAction({ query: "" }).then((result) => {
      if (live) setTemplates(result.ok ? result.data : []);
    });
    return () => {
      live = false;
    };
  }, []);

  if (templates !== null && templates.length === 0) return null;
  return (
    <div className="grid gap-1">
      <label htmlFor={`${id}-template`} className="text-sm font-medium">
        Start from template
      </label>
      <div className="flex gap-2">
        <select id={`${id}-template`} value={picked} onChange={(e) => setPicked(e.target.value)} className="h-9 min-w-0 flex-1 rounded-md border bg-background px-2 text-sm" disabled={!templates}>
          <option value="">{templates ? "Pick a template…" : "Loading templates…"}</option>
          {(templates ?? []).map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
        <Button
          type="button"
          variant="outline"
          disabled={!picked}
          onClick={() => {
            const template = templates?.find((t) => t.id === picked);
            if (template) onPick(template);
          }}
        >
          Use template
        </Button>
      </div>
    </div>
  );
}

/** "Save as template": the step's subject and body as they are now, under a name. */
export function SaveAsTemplate({ subject, body }: { subject: string; body: string }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, startTransition] = useTransition();

  function save() {
    startTransition(async () => {
      const result = await saveTemplateAction({ name, subject, body });
      setErrors(result.ok ? {} : (result.fieldErrors ?? {}));
      if (toastResult(result, `Template "${name.trim()}" saved`)) {
        setOpen(false);
        setName("");
      }
    });
  }

  if (!open)
    return (
      <Button type="button" variant="ghost" onClick={() => setOpen(true)}>
        Save as template
      </Button>
    );
  const problems = [...(errors.name ?? []), ...(errors.subject ?? []), ...(errors.body ?? [])];
  return (
    <div role="group" aria-label="Save as template" className="flex w-full flex-wrap items-end gap-2 rounded-md border p-2">
      <div className="grid min-w-48 flex-1 gap-1">
        <label htmlFor={`${id}-name`} className="text-xs font-medium">
          Template name
        </label>
        <Input
          id={`${id}-name`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoFocus
          aria-invalid={problems.length ? true : undefined}
          aria-describedby={problems.length ? `${id}-error` : undefined}
          // Inside the step's form: Enter saves the template, not the step.
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              save();
            }
          }}
        />
      </div>
      <Button type="button" size="sm" pending={pending} onClick={save}>
        Save template
      </Button>
      <Button type="button" size="sm" variant="outline" onClick={() => setOpen(false)} disabled={pending}>
        Cancel
      </Button>
      {problems.length ? (
        <p id={`${id}-error`} className="w-full text-xs text-destructive">
          {problems.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
