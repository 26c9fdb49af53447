"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { BodyEditor } from "@/components/editor/body-editor";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { createSnippetAction } from "@/lib/actions/templates/create-snippet-action";
import type { FieldErrors } from "@/lib/errors";
import { toastResult } from "@/components/sequences/builder/action-feedback";

/** A new snippet: a name and its content, written in the same editor as step bodies. */
export function NewSnippetForm() {
  const router = useRouter();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [body, setBody] = useState("");
  const [version, setVersion] = useState(0);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, startTransition] = useTransition();

  if (!open)
    return (
      <Button type="button" variant="outline" onClick={() => setOpen(true)}>
        New snippet
      </Button>
    );
  return (
    <form
      className="grid max-w-2xl gap-3 rounded-md border p-4"
      aria-label="New snippet"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        startTransition(async () => {
          const result = await createSnippetAction({ name, body });
          setErrors(result.ok ? {} : (result.fieldErrors ?? {}));
          if (toastResult(result, `Snippet "${name.trim()}" saved`)) {
            setName("");
            setBody("");
            setVersion((v) => v + 1);
            setOpen(false);
            router.refresh();
          }
        });
      }}
    >
      <Field label="Snippet name" htmlFor={`${id}-name`} error={errors.name} hint="How it is listed under Insert snippet, e.g. Signature">
        <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
      </Field>
      <BodyEditor key={version} label="Snippet content" initial="" onChange={setBody} error={errors.body} snippets={false} />
      <p className="text-xs text-muted-foreground">Merge tags: type them as {"{{firstName}}"} or {"{{firstName|there}}"}; unknown ones are refused when you save.</p>
      <div className="flex gap-2">
        <Button type="submit" pending={pending}>
          Save snippet
        </Button>
        <Button type="button" variant="outline" onClick={() => setOpen(false)} disabled={pending}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
