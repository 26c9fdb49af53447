"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/select";
import { toast } from "@/components/ui/toast";
import { bulkEnrollAction } from "@/lib/actions/contacts/bulk-enroll-action";
import { bulkRemoveTagAction } from "@/lib/actions/contacts/bulk-remove-tag-action";
import type { BulkEnrollResult } from "@/lib/contacts/bulk-enroll";
import { ENROLL_REFUSALS } from "@/lib/sequences/enroll-refusals";
import { describeTagResult } from "./tag-result";
import { useAddTag } from "./use-add-tag";

type Option = { id: string; name: string };

function plural(n: number, word: string): string {
  return `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;
}

export function enrollSummary(r: BulkEnrollResult): { title: string; description?: string } {
  const title = `${r.enrolled} enrolled · ${r.alreadyEnrolled} already enrolled · ${r.refused} refused`;
  const reasons = Object.entries(r.refusals).map(([reason, n]) => `${n} ${ENROLL_REFUSALS[reason as keyof typeof ENROLL_REFUSALS]?.label ?? reason}`);
  return { title, description: reasons.length ? `Refused: ${reasons.join(", ")}.` : undefined };
}

/** Add tag / remove tag / enroll for the selected contacts, with pending states and a toast summary. */
export function BulkActions({ contactIds, tags, sequences, onDone }: { contactIds: string[]; tags: Option[]; sequences: Option[]; onDone: () => void }) {
  const router = useRouter();
  const [addTag, setAddTag] = useState("");
  const [removeTag, setRemoveTag] = useState("");
  const [sequenceId, setSequenceId] = useState("");
  const [pending, setPending] = useState<"add" | "remove" | "enroll" | null>(null);
  const [, startTransition] = useTransition();
  const tagging = useAddTag();

  function run(kind: "add" | "remove" | "enroll", action: () => Promise<{ title: string; description?: string } | { error: string } | null>) {
    setPending(kind);
    startTransition(async () => {
      try {
        const outcome = await action();
        if (outcome === null) return; // cancelled: nothing changed
        if ("error" in outcome) {
          toast({ title: outcome.error, variant: "destructive" });
        } else {
          toast({ ...outcome, variant: "success" });
          onDone();
          router.refresh();
        }
      } finally {
        setPending(null);
      }
    });
  }

  const busy = pending !== null;
  const selection = plural(contactIds.length, "contact");

  return (
    <section aria-label="Bulk actions" className="flex flex-wrap items-end gap-4 rounded-lg border bg-muted/40 p-3">
      {tagging.dialog}
      <p className="self-center text-sm font-medium" aria-live="polite">
        {selection} selected
      </p>
      <form
        className="flex items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          run("add", async () => {
            const outcome = await tagging.addTag(contactIds, addTag);
            if (outcome.kind === "cancelled") return null;
            if (outcome.kind === "error") return { error: outcome.fieldErrors?.tagName?.[0] ?? outcome.message };
            setAddTag("");
            const { title, description } = describeTagResult(outcome.result, contactIds.length);
            return { title, description };
          });
        }}
      >
        <div className="grid gap-1.5">
          <label htmlFor="bulk-add-tag" className="text-sm font-medium">
            Add tag
          </label>
          <Input id="bulk-add-tag" list="bulk-tag-options" value={addTag} onChange={(e) => setAddTag(e.target.value)} placeholder="Tag name" className="w-40" />
          <datalist id="bulk-tag-options">
            {tags.map((t) => (
              <option key={t.id} value={t.name} />
            ))}
          </datalist>
        </div>
        <Button type="submit" size="sm" pending={pending === "add"} disabled={busy || !addTag.trim()}>
          Add tag
        </Button>
      </form>
      <form
        className="flex items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          run("remove", async () => {
            const r = await bulkRemoveTagAction({ contactIds, tagName: removeTag });
            if (!r.ok) return { error: r.message };
            setRemoveTag("");
            return { title: `Tag "${removeTag}" removed from ${selection}` };
          });
        }}
      >
        <div className="grid gap-1.5">
          <label htmlFor="bulk-remove-tag" className="text-sm font-medium">
            Remove tag
          </label>
          <NativeSelect id="bulk-remove-tag" value={removeTag} onChange={(e) => setRemoveTag(e.target.value)} className="w-40">
            <option value="">Choose a tag</option>
            {tags.map((t) => (
              <option key={t.id} value={t.name}>
                {t.name}
              </option>
            ))}
          </NativeSelect>
        </div>
        <Button type="submit" size="sm" variant="outline" pending={pending === "remove"} disabled={busy || !removeTag}>
          Remove tag
        </Button>
      </form>
      <form
        className="flex items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          run("enroll", async () => {
            const r = await bulkEnrollAction({ contactIds, sequenceId });
            if (!r.ok) return { error: r.message };
            return enrollSummary(r.data);
          });
        }}
      >
        <div className="grid gap-1.5">
          <label htmlFor="bulk-enroll-sequence" className="text-sm font-medium">
            Enroll into
          </label>
          <NativeSelect id="bulk-enroll-sequence" value={sequenceId} onChange={(e) => setSequenceId(e.target.value)} className="w-48">
            <option value="">Choose a sequence</option>
            {sequences.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </NativeSelect>
        </div>
        <Button type="submit" size="sm" pending={pending === "enroll"} disabled={busy || !sequenceId}>
          Enroll
        </Button>
      </form>
    </section>
  );
}
