"use client";

import { EditorContent, useEditor, type Editor } from "@tiptap/react";
import { useEffect, useId, useState } from "react";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils/cn";
import { editorContent } from "./editor-content";
import { EDITOR_EXTENSIONS } from "./extensions";
import { InsertPanel, type PanelKind } from "./insert-panel";
import { SnippetMenu } from "./snippet-menu";

type Props = {
  label: string;
  /** The stored body (a document as JSON, or older plain text): read once, when the editor opens. */
  initial: string;
  onChange: (json: string) => void;
  error?: string | string[];
  describedBy?: string;
  /** Called with the editor once it exists, so a merge-tag picker outside can insert into it. */
  onReady?: (editor: Editor) => void;
  onFocus?: () => void;
  /** Offer "Insert snippet" in the toolbar (not when editing a snippet itself). */
  snippets?: boolean;
};

function ToolButton({ label, active, onClick, children }: { label: string; active?: boolean; onClick: () => void; children: React.ReactNode }) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      aria-pressed={active === undefined ? undefined : active}
      onClick={onClick}
      className={cn("rounded px-2 py-1 text-sm hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring", active && "bg-accent font-semibold")}
    >
      {children}
    </button>
  );
}

/**
 * The rich-text editor of a step body (TipTap): a labelled toolbar (text
 * style, bold, italic, lists, link, button, image, snippets) over an
 * editable area announced as a multi-line text box. Every toolbar control is
 * a real button, so it is reachable with Tab; Ctrl+B / Ctrl+I work in the text.
 */
export function BodyEditor({ label, initial, onChange, error, describedBy, onReady, onFocus, snippets = true }: Props) {
  const id = useId();
  const [panel, setPanel] = useState<PanelKind | null>(null);
  const [, rerender] = useState(0);
  const hasError = (Array.isArray(error) ? error : [error]).some(Boolean);
  const attributes: Record<string, string> = {
    role: "textbox",
    "aria-multiline": "true",
    "aria-labelledby": `${id}-label`,
    ...(describedBy || hasError ? { "aria-describedby": [describedBy, hasError ? `${id}-error` : ""].filter(Boolean).join(" ") } : {}),
    ...(hasError ? { "aria-invalid": "true" } : {}),
    "data-body-editor": "",
    class: "prose-email min-h-40 rounded-b-md border border-t-0 px-3 py-2 text-sm outline-none focus-visible:ring-2 focus-visible:ring-ring [&_h1]:text-xl [&_h1]:font-bold [&_h2]:text-lg [&_h2]:font-semibold [&_h3]:font-semibold [&_ol]:list-decimal [&_ol]:pl-6 [&_p]:my-1 [&_ul]:list-disc [&_ul]:pl-6 [&_a]:text-blue-700 [&_a]:underline [&_img]:max-h-48",
  };
  const editor = useEditor({
    extensions: EDITOR_EXTENSIONS,
    content: editorContent(initial),
    immediatelyRender: false,
    editorProps: { attributes },
    onUpdate: ({ editor: e }) => onChange(JSON.stringify(e.getJSON())),
    onFocus: () => onFocus?.(),
    // The toolbar's pressed states follow the selection.
    onSelectionUpdate: () => rerender((n) => n + 1),
  });

  useEffect(() => {
    if (editor) onReady?.(editor);
  }, [editor, onReady]);

  // A field error arriving after a save marks the text box invalid and names the error.
  const attributesKey = JSON.stringify(attributes);
  useEffect(() => {
    if (editor && !editor.isDestroyed) editor.setOptions({ editorProps: { attributes: JSON.parse(attributesKey) } });
  }, [editor, attributesKey]);

  const messages = (Array.isArray(error) ? error : [error]).filter((m): m is string => !!m);
  const style = editor?.isActive("heading", { level: 1 }) ? "h1" : editor?.isActive("heading", { level: 2 }) ? "h2" : editor?.isActive("heading", { level: 3 }) ? "h3" : "p";

  function setStyle(value: string) {
    if (!editor) return;
    const chain = editor.chain().focus();
    if (value === "p") chain.setParagraph().run();
    else chain.setHeading({ level: Number(value.slice(1)) as 1 | 2 | 3 }).run();
  }

  return (
    <div className="grid content-start gap-1.5" data-field="">
      <Label id={`${id}-label`} onClick={() => editor?.commands.focus()}>
        {label}
      </Label>
      <div role="toolbar" aria-label={`${label} formatting`} className="flex flex-wrap items-center gap-1 rounded-t-md border bg-muted/40 px-1 py-1">
        <select
          aria-label="Text style"
          value={style}
          onChange={(e) => setStyle(e.target.value)}
          className="h-8 rounded border bg-background px-1 text-sm"
          disabled={!editor}
        >
          <option value="p">Paragraph</option>
          <option value="h1">Heading 1</option>
          <option value="h2">Heading 2</option>
          <option value="h3">Heading 3</option>
        </select>
        <ToolButton label="Bold" active={!!editor?.isActive("bold")} onClick={() => editor?.chain().focus().toggleBold().run()}>
          <strong>B</strong>
        </ToolButton>
        <ToolButton label="Italic" active={!!editor?.isActive("italic")} onClick={() => editor?.chain().focus().toggleItalic().run()}>
          <em>I</em>
        </ToolButton>
        <ToolButton label="Bulleted list" active={!!editor?.isActive("bulletList")} onClick={() => editor?.chain().focus().toggleBulletList().run()}>
          • List
        </ToolButton>
        <ToolButton label="Numbered list" active={!!editor?.isActive("orderedList")} onClick={() => editor?.chain().focus().toggleOrderedList().run()}>
          1. List
        </ToolButton>
        <ToolButton label="Link" active={!!editor?.isActive("link")} onClick={() => setPanel(panel === "link" ? null : "link")}>
          Link
        </ToolButton>
        <ToolButton label="Button" onClick={() => setPanel(panel === "button" ? null : "button")}>
          Button
        </ToolButton>
        <ToolButton label="Image" onClick={() => setPanel(panel === "image" ? null : "image")}>
          Image
        </ToolButton>
        {snippets && editor ? <SnippetMenu editor={editor} /> : null}
      </div>
      {panel && editor ? <InsertPanel kind={panel} editor={editor} onClose={() => setPanel(null)} /> : null}
      <EditorContent editor={editor} />
      {messages.length ? (
        <p id={`${id}-error`} data-field-error="" className="text-sm font-medium text-destructive">
          {messages.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
