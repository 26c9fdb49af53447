/**
 * The editor's schema: StarterKit limited to what lib/email/body-doc.ts
 * stores (paragraphs, headings 1-3, bold, italic, lists, links, hard
 * breaks), images by URL, and two nodes of our own: a merge tag (an inline
 * token, `{{key|fallback}}` as text) and a button (a link shown as a
 * button). Node and attribute names match the stored document's.
 */
import Image from "@tiptap/extension-image";
import { Node } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { tagText } from "@/lib/email/body-doc";

const plainAttribute = (name: string, fallback: string | null = null) => ({
  default: fallback,
  parseHTML: (element: HTMLElement) => element.getAttribute(name),
  // Shown through renderHTML below, not as raw attributes.
  renderHTML: () => ({}),
});

export const MergeTagNode = Node.create({
  name: "mergeTag",
  group: "inline",
  inline: true,
  atom: true,
  selectable: true,
  addAttributes() {
    return { key: plainAttribute("data-merge-tag", ""), fallback: plainAttribute("data-fallback") };
  },
  parseHTML() {
    return [{ tag: "span[data-merge-tag]" }];
  },
  renderHTML({ node }) {
    const attrs = node.attrs as { key: string; fallback: string | null };
    return [
      "span",
      { "data-merge-tag": attrs.key, "data-fallback": attrs.fallback ?? undefined, class: "rounded bg-blue-100 px-1 font-mono text-xs text-blue-900", contenteditable: "false" },
      tagText(attrs),
    ];
  },
  renderText({ node }) {
    return tagText(node.attrs as { key: string; fallback: string | null });
  },
});

export const ButtonNode = Node.create({
  name: "button",
  group: "block",
  atom: true,
  selectable: true,
  addAttributes() {
    return {
      href: { default: "", parseHTML: (element: HTMLElement) => element.getAttribute("href") ?? "", renderHTML: () => ({}) },
      label: { default: "", parseHTML: (element: HTMLElement) => element.textContent ?? "", renderHTML: () => ({}) },
    };
  },
  parseHTML() {
    return [{ tag: "a[data-button]" }];
  },
  renderHTML({ node }) {
    const attrs = node.attrs as { href: string; label: string };
    return [
      "p",
      { "data-button-block": "" },
      ["a", { "data-button": "", href: attrs.href, class: "inline-block rounded-md bg-blue-600 px-4 py-2 font-semibold text-white no-underline" }, attrs.label],
    ];
  },
  renderText({ node }) {
    return (node.attrs as { label: string }).label;
  },
});

export const EDITOR_EXTENSIONS = [
  StarterKit.configure({
    blockquote: false,
    code: false,
    codeBlock: false,
    horizontalRule: false,
    strike: false,
    underline: false,
    heading: { levels: [1, 2, 3] },
    link: { openOnClick: false, autolink: false, linkOnPaste: true, protocols: ["mailto"], defaultProtocol: "https" },
  }),
  Image.configure({ inline: false, allowBase64: false }),
  MergeTagNode,
  ButtonNode,
];
