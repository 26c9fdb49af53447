"use client";

import { useEffect, useState } from "react";
import { listMergeTagsAction } from "@/lib/actions/authoring/list-merge-tags-action";

const BUILT_INS = [
  { key: "firstName", label: "First name" },
  { key: "lastName", label: "Last name" },
  { key: "email", label: "Email address" },
];

/**
 * The merge tags that exist: the contact's own fields and every attribute
 * key contacts have (from the server, canonical spelling). Clicking one
 * inserts it where the cursor was in the subject or body.
 */
export function MergeTagPicker({ id, onInsert }: { id: string; onInsert: (key: string) => void }) {
  const [attributes, setAttributes] = useState<{ key: string; contacts: number }[] | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    listMergeTagsAction({}).then((result) => {
      if (!live) return;
      if (result.ok) setAttributes(result.data);
      else setFailed(true);
    });
    return () => {
      live = false;
    };
  }, []);

  const button = (key: string, title: string) => (
    <button
      key={key}
      type="button"
      className="rounded border bg-muted px-1.5 py-0.5 font-mono text-xs hover:bg-accent"
      title={title}
      data-merge-tag={key}
      // Keeps the editor's selection: the tag goes where the cursor was.
      onMouseDown={(e) => e.preventDefault()}
      onClick={() => onInsert(key)}
    >
      {`{{${key}}}`}
    </button>
  );

  return (
    <div id={id} className="grid gap-1 text-xs text-muted-foreground" aria-label="Merge tags" role="group">
      <p className="font-medium">Merge tags: click to insert at the cursor of the subject or body. In the subject, add a fallback after a bar: {"{{firstName|there}}"}. Case does not matter.</p>
      <div className="flex flex-wrap gap-1">
        {BUILT_INS.map((b) => button(b.key, b.label))}
        {(attributes ?? []).map((a) => button(a.key, `${a.contacts.toLocaleString("en")} contacts have it`))}
      </div>
      {attributes === null && !failed ? <p>Loading attributes…</p> : null}
      {failed ? <p>The attribute list could not be loaded.</p> : null}
      {attributes?.length === 0 ? <p>No contact has custom attributes yet.</p> : null}
    </div>
  );
}
