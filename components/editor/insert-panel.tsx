"use client";

import type { Editor } from "@tiptap/react";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

export type PanelKind = "link" | "button" | "image";

/** "acme.example/x" means https://acme.example/x; an address with a scheme is kept as typed (the server checks it). */
function withScheme(address: string): string {
  const trimmed = address.trim();
  if (!trimmed || /^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return trimmed;
  return `https://${trimmed}`;
}

const TITLES: Record<PanelKind, string> = { link: "Insert a link", button: "Insert a button", image: "Insert an image" };

/**
 * The small form under the toolbar for what needs an address: a link (its
 * text and address), a button (label and address) or an image (address and
 * description). Enter inserts; Escape closes.
 */
export function InsertPanel({ kind, editor, onClose }: { kind: PanelKind; editor: Editor; onClose: () => void }) {
  const id = useId();
  const { from, to } = editor.state.selection;
  const selected = editor.state.doc.textBetween(from, to, " ");
  const [text, setText] = useState(kind === "link" ? selected : "");
  const [address, setAddress] = useState(kind === "link" ? ((editor.getAttributes("link").href as string | undefined) ?? "") : "");
  const [problem, setProblem] = useState<string | null>(null);

  function insert() {
    const href = withScheme(address);
    if (!href) return setProblem("Enter an address.");
    const chain = editor.chain().focus();
    if (kind === "link") {
      const label = text.trim() || href;
      chain.insertContent({ type: "text", text: label, marks: [{ type: "link", attrs: { href } }] }).run();
    } else if (kind === "button") {
      if (!text.trim()) return setProblem("Give the button a label.");
      chain.insertContent({ type: "button", attrs: { href, label: text.trim() } }).run();
    } else {
      chain.insertContent({ type: "image", attrs: { src: href, alt: text.trim() } }).run();
    }
    onClose();
  }

  const textLabel = kind === "link" ? "Link text" : kind === "button" ? "Button label" : "Image description";
  const addressLabel = kind === "image" ? "Image address" : kind === "button" ? "Button address" : "Link address";
  return (
    <div
      role="group"
      aria-label={TITLES[kind]}
      className="grid gap-2 rounded-md border bg-background p-2 sm:grid-cols-[1fr_1fr_auto]"
      onKeyDown={(e) => {
        // Inside the step's form: Enter inserts here, it does not save the step.
        if (e.key === "Enter") {
          e.preventDefault();
          insert();
        }
        if (e.key === "Escape") onClose();
      }}
    >
      <div className="grid gap-1">
        <label className="text-xs font-medium" htmlFor={`${id}-address`}>
          {addressLabel}
        </label>
        <Input id={`${id}-address`} value={address} onChange={(e) => setAddress(e.target.value)} placeholder="https://" autoFocus />
      </div>
      <div className="grid gap-1">
        <label className="text-xs font-medium" htmlFor={`${id}-text`}>
          {textLabel}
        </label>
        <Input id={`${id}-text`} value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      <div className="flex items-end gap-1">
        <Button type="button" size="sm" onClick={insert}>
          Insert
        </Button>
        {kind === "link" && editor.isActive("link") ? (
          <Button
            type="button"
            size="sm"
            variant="outline"
            onClick={() => {
              editor.chain().focus().extendMarkRange("link").unsetLink().run();
              onClose();
            }}
          >
            Remove link
          </Button>
        ) : null}
        <Button type="button" size="sm" variant="outline" onClick={onClose}>
          Cancel
        </Button>
      </div>
      {problem ? <p className="text-xs text-destructive sm:col-span-3">{problem}</p> : null}
    </div>
  );
}
