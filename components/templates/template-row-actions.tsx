"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toast";
import { deleteSnippetAction } from "@/lib/actions/templates/delete-snippet-action";
import { deleteTemplateAction } from "@/lib/actions/templates/delete-template-action";
import { renameSnippetAction } from "@/lib/actions/templates/rename-snippet-action";
import { renameTemplateAction } from "@/lib/actions/templates/rename-template-action";

const ACTIONS = {
  template: { rename: renameTemplateAction, remove: deleteTemplateAction, word: "template", keep: "Steps started from it keep their own copy." },
  snippet: { rename: renameSnippetAction, remove: deleteSnippetAction, word: "snippet", keep: "Messages it was inserted into keep their own copy." },
} as const;

/** Rename (in place) and delete (after a confirmation) one template or snippet. */
export function TemplateRowActions({ kind, id, name }: { kind: "template" | "snippet"; id: string; name: string }) {
  const router = useRouter();
  const formId = useId();
  const { rename, remove, word, keep } = ACTIONS[kind];
  const [renaming, setRenaming] = useState(false);
  const [value, setValue] = useState(name);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function save() {
    startTransition(async () => {
      const result = await rename({ id, name: value });
      if (!result.ok) return setError(result.fieldErrors?.name?.join(" ") ?? result.message);
      setError(null);
      setRenaming(false);
      toast({ title: `Renamed to "${value.trim()}"`, variant: "success" });
      router.refresh();
    });
  }

  if (renaming)
    return (
      <form
        className="flex flex-wrap items-center gap-1"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <label htmlFor={`${formId}-name`} className="sr-only">
          New name for {name}
        </label>
        <Input id={`${formId}-name`} value={value} onChange={(e) => setValue(e.target.value)} autoFocus className="h-8 w-48" aria-invalid={error ? true : undefined} aria-describedby={error ? `${formId}-error` : undefined} />
        <Button type="submit" size="sm" pending={pending}>
          Save name
        </Button>
        <Button type="button" size="sm" variant="outline" onClick={() => setRenaming(false)} disabled={pending}>
          Cancel
        </Button>
        {error ? (
          <p id={`${formId}-error`} className="w-full text-xs text-destructive">
            {error}
          </p>
        ) : null}
      </form>
    );
  return (
    <div className="flex gap-1">
      <Button type="button" size="sm" variant="outline" aria-label={`Rename ${word} ${name}`} onClick={() => setRenaming(true)}>
        Rename
      </Button>
      <ConfirmDialog
        trigger={
          <Button type="button" size="sm" variant="outline" aria-label={`Delete ${word} ${name}`}>
            Delete
          </Button>
        }
        title={`Delete the ${word} "${name}"?`}
        description={keep}
        confirmLabel="Delete"
        destructive
        onConfirm={async () => {
          const result = await remove({ id });
          if (!result.ok) throw new Error(result.message);
          toast({ title: `Deleted "${name}"`, variant: "success" });
          router.refresh();
        }}
      />
    </div>
  );
}
