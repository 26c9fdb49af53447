/**
 * A step body (lib/email/body-doc.ts) for one contact, as the HTML fragment
 * and the plain-text part of the message: both are generated from the one
 * document, so the text part is never written twice. Merge tags apply to
 * all text, whether a merge-tag node or typed `{{key}}`; merged values are
 * escaped and never become links. Only render.ts calls this.
 */
import { readBody, tagText, type Block, type InlineNode, type ListItem, type Mark } from "./body-doc";
import { applyMergeTags, type MergeContact } from "./merge-tags";
import { escapeHtml, mergedInlineHtml } from "./text-body";

type Run = { href: string | null; nodes: InlineNode[] };

function linkOf(node: InlineNode): string | null {
  return node.marks?.find((m): m is Extract<Mark, { type: "link" }> => m.type === "link")?.attrs.href ?? null;
}

/** Consecutive nodes under the same link are one link (one <a>, one address in the text part). */
function runs(nodes: readonly InlineNode[]): Run[] {
  const out: Run[] = [];
  for (const node of nodes) {
    const href = linkOf(node);
    const last = out.at(-1);
    if (last && last.href === href) last.nodes.push(node);
    else out.push({ href, nodes: [node] });
  }
  return out;
}

function nodeTemplate(node: InlineNode): string {
  return node.type === "text" ? node.text : node.type === "mergeTag" ? tagText(node.attrs) : "\n";
}

function nodeHtml(node: InlineNode, contact: MergeContact, inLink: boolean): string {
  if (node.type === "hardBreak") return "<br>";
  let html = mergedInlineHtml(nodeTemplate(node), contact, !inLink).replace(/\n/g, "<br>");
  const has = (type: Mark["type"]) => node.marks?.some((m) => m.type === type);
  if (has("italic")) html = `<em>${html}</em>`;
  if (has("bold")) html = `<strong>${html}</strong>`;
  return html;
}

function inlineHtml(nodes: readonly InlineNode[] | undefined, contact: MergeContact): string {
  return runs(nodes ?? [])
    .map(({ href, nodes: group }) => {
      const html = group.map((n) => nodeHtml(n, contact, href !== null)).join("");
      return href === null ? html : `<a href="${escapeHtml(href)}">${html}</a>`;
    })
    .join("");
}

/** A link in the text part: its text, then its address unless the text already is the address. */
function withAddress(text: string, href: string): string {
  const bare = href.replace(/^mailto:/, "");
  return text.trim() === href || text.trim() === bare ? text : `${text} (${bare})`;
}

function inlineText(nodes: readonly InlineNode[] | undefined, contact: MergeContact): string {
  return runs(nodes ?? [])
    .map(({ href, nodes: group }) => {
      // A merged value's CR LF (or lone CR) is one line break, as it is in the HTML part.
      const text = applyMergeTags(group.map(nodeTemplate).join(""), contact).replace(/\r\n?/g, "\n");
      return href === null ? text : withAddress(text, href);
    })
    .join("");
}

function listItemHtml(item: ListItem, contact: MergeContact): string {
  const parts = item.content.map((child) => (child.type === "paragraph" ? inlineHtml(child.content, contact) : blockHtml(child, contact)));
  return `<li>${parts.join("<br>")}</li>`;
}

function blockHtml(block: Block, contact: MergeContact): string {
  switch (block.type) {
    case "paragraph":
      return `<p>${inlineHtml(block.content, contact)}</p>`;
    case "heading":
      return `<h${block.attrs.level}>${inlineHtml(block.content, contact)}</h${block.attrs.level}>`;
    case "bulletList":
      return `<ul>${block.content.map((item) => listItemHtml(item, contact)).join("")}</ul>`;
    case "orderedList": {
      const start = block.attrs?.start ?? 1;
      return `<ol${start === 1 ? "" : ` start="${start}"`}>${block.content.map((item) => listItemHtml(item, contact)).join("")}</ol>`;
    }
    case "button":
      return `<p class="button-row"><a class="button" href="${escapeHtml(block.attrs.href)}">${mergedInlineHtml(block.attrs.label, contact, false)}</a></p>`;
    case "image":
      return `<p><img src="${escapeHtml(block.attrs.src)}" alt="${escapeHtml(block.attrs.alt)}"></p>`;
  }
}

/** A list in the text part: "- " or "3. " before each item, its further lines (and nested lists) indented under it. */
function listLines(items: readonly ListItem[], ordered: boolean, start: number, contact: MergeContact): string[] {
  return items.flatMap((item, i) => {
    const bullet = ordered ? `${start + i}. ` : "- ";
    const lines = item.content.flatMap((child) =>
      child.type === "paragraph" ? inlineText(child.content, contact).split("\n") : listLines(child.content, child.type === "orderedList", (child.type === "orderedList" && child.attrs?.start) || 1, contact),
    );
    return lines.map((line, n) => (n === 0 ? bullet : "  ") + line);
  });
}

function blockText(block: Block, contact: MergeContact): string | null {
  switch (block.type) {
    case "paragraph":
    case "heading":
      return inlineText(block.content, contact);
    case "bulletList":
      return listLines(block.content, false, 1, contact).join("\n");
    case "orderedList":
      return listLines(block.content, true, block.attrs?.start ?? 1, contact).join("\n");
    case "button":
      return withAddress(applyMergeTags(block.attrs.label, contact), block.attrs.href);
    case "image":
      return block.attrs.alt ? `[${block.attrs.alt}]` : null;
  }
}

/** The stored body for `contact`: an HTML fragment (to be sanitized and laid out) and the text part's body. */
export function renderBody(stored: string, contact: MergeContact): { html: string; text: string } {
  const doc = readBody(stored);
  return {
    html: doc.content.map((block) => blockHtml(block, contact)).join("\n"),
    text: doc.content
      .map((block) => blockText(block, contact))
      .filter((text): text is string => text !== null)
      .join("\n\n"),
  };
}
