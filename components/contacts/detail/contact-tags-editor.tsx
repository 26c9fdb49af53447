"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toast";
import { bulkRemoveTagAction } from "@/lib/actions/contacts/bulk-remove-tag-action";
import { describeTagResult } from "../tag-result";
import { useAddTag } from "../use-add-tag";

/** A contact's tags: remove one with its button, add one by name (entry triggers fire). */
export function ContactTagsEditor({ contactId, tags, allTags }: { contactId: string; tags: { id: string; name: string }[]; allTags: string[] }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [pendingTag, setPendingTag] = useState<string | null>(null);
  const [adding, startAdd] = useTransition();
  const [, startRemove] = useTransition();
  const tagging = useAddTag();

  function add(event: React.FormEvent) {
    event.preventDefault();
    startAdd(async () => {
      const outcome = await tagging.addTag([contactId], name);
      if (outcome.kind === "cancelled") return;
      if (outcome.kind === "error") {
        setError(outcome.fieldErrors?.tagName?.[0] ?? outcome.message);
        return;
      }
      const { title, description, alreadyThere } = describeTagResult(outcome.result, 1);
      if (alreadyThere) {
        // Tags match case-insensitively: "vip" is the "VIP" the contact has.
        setError(title);
        return;
      }
      setError(undefined);
      toast({ title, description, variant: "success" });
      setName("");
      router.refresh();
    });
  }

  function remove(tagName: string) {
    setPendingTag(tagName);
    startRemove(async () => {
      const result = await bulkRemoveTagAction({ contactIds: [contactId], tagName });
      setPendingTag(null);
      if (!result.ok) {
        toast({ title: result.message, variant: "destructive" });
        return;
      }
      toast({ title: `Tag "${tagName}" removed`, variant: "success" });
      router.refresh();
    });
  }

  return (
    <div className="grid gap-3">
      {tagging.dialog}
      {tags.length === 0 ? (
        <p className="text-sm text-muted-foreground">No tags.</p>
      ) : (
        <ul className="flex flex-wrap gap-2" aria-label="Tags">
          {tags.map((t) => (
            <li key={t.id}>
              <Badge variant="secondary" className="gap-1 pr-1">
                {t.name}
                <Button
                  type="button"
                  variant="ghost"
                  size="sm"
                  className="h-5 px-1"
                  aria-label={`Remove tag ${t.name}`}
                  pending={pendingTag === t.name}
                  disabled={pendingTag !== null}
                  onClick={() => remove(t.name)}
                >
                  ×
                </Button>
              </Badge>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={add} className="flex items-end gap-2" noValidate>
        <Field label="Add a tag" htmlFor="contact-add-tag" error={error} className="flex-1">
          <Input value={name} onChange={(e) => setName(e.target.value)} list="contact-tag-options" maxLength={100} autoComplete="off" />
        </Field>
        <datalist id="contact-tag-options">
          {allTags.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
        <Button type="submit" variant="outline" pending={adding} disabled={!name.trim()}>
          Add
        </Button>
      </form>
    </div>
  );
}
