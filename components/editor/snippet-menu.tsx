"use client";

import type { Editor } from "@tiptap/react";
import { useEffect, useState } from "react";
import { listSnippetsAction } from "@/lib/actions/templates/list-snippets-action";
import { editorContent } from "./editor-content";

type SnippetOption = { id: string; name: string; body: string };

/**
 * "Insert snippet": the saved snippets by name; picking one copies its
 * content in at the cursor (editing the snippet later changes nothing here).
 */
export function SnippetMenu({ editor }: { editor: Editor }) {
  const [snippets, setSnippets] = useState<SnippetOption[] | null>(null);

  useEffect(() => {
    let live = true;
    listSnippetsAction({ query: "" }).then((result) => {
      if (live) setSnippets(result.ok ? result.data : []);
    });
    return () => {
      live = false;
    };
  }, []);

  function insert(id: string) {
    const snippet = snippets?.find((s) => s.id === id);
    if (!snippet) return;
    editor.chain().focus().insertContent(editorContent(snippet.body).content ?? []).run();
  }

  return (
    <select
      aria-label="Insert snippet"
      value=""
      onChange={(e) => insert(e.target.value)}
      className="h-8 rounded border bg-background px-1 text-sm"
      disabled={!snippets?.length}
      title={snippets && !snippets.length ? "No snippets yet: add them on the Templates page" : undefined}
    >
      <option value="">{snippets === null ? "Snippets…" : snippets.length ? "Insert snippet…" : "No snippets"}</option>
      {(snippets ?? []).map((s) => (
        <option key={s.id} value={s.id}>
          {s.name}
        </option>
      ))}
    </select>
  );
}
