/**
 * A step body as stored: the rich-text editor's document (TipTap/ProseMirror
 * JSON), reduced to what email can carry. Pure: the editor, the zod schemas
 * of the forms and actions, the save-time tag check and the renderer share
 * these rules (docs/authoring.md, "How a body is stored", says why JSON).
 *
 * Parsing with ZBodyDoc is the server's sanitizer for bodies: only the node
 * and mark types below survive, unknown attributes are dropped, and link,
 * button and image addresses must be http(s) (links also mailto:).
 */
import { z } from "zod";
import { MERGE_TAG_KEY } from "./merge-tags";

export type Mark = { type: "bold" } | { type: "italic" } | { type: "link"; attrs: { href: string } };
export type TextNode = { type: "text"; text: string; marks?: Mark[] };
export type MergeTagNode = { type: "mergeTag"; attrs: { key: string; fallback: string | null }; marks?: Mark[] };
export type HardBreakNode = { type: "hardBreak"; marks?: Mark[] };
export type InlineNode = TextNode | MergeTagNode | HardBreakNode;
export type Paragraph = { type: "paragraph"; content?: InlineNode[] };
export type Heading = { type: "heading"; attrs: { level: 1 | 2 | 3 }; content?: InlineNode[] };
export type ListItem = { type: "listItem"; content: (Paragraph | BulletList | OrderedList)[] };
export type BulletList = { type: "bulletList"; content: ListItem[] };
export type OrderedList = { type: "orderedList"; attrs?: { start: number }; content: ListItem[] };
export type ButtonNode = { type: "button"; attrs: { href: string; label: string } };
export type ImageNode = { type: "image"; attrs: { src: string; alt: string } };
export type Block = Paragraph | Heading | BulletList | OrderedList | ButtonNode | ImageNode;
export type BodyDoc = { type: "doc"; content: Block[] };

/** Longest text a body may hold, whatever its markup. */
export const BODY_TEXT_MAX = 20_000;
/** Longest stored document (JSON characters): room for markup around BODY_TEXT_MAX of text. */
export const BODY_JSON_MAX = 200_000;

const NO_TAGS = "Merge tags cannot go in a link's address or an image: put them in the text.";

/** An address a contact's mail client may open: http(s), or mailto: for links. */
function address(schemes: string[], what: string) {
  return z
    .string()
    .trim()
    .min(1, `Give the ${what} an address`)
    .max(2_000, "At most 2,000 characters")
    .refine((value) => !value.includes("{{"), NO_TAGS)
    .refine((value) => {
      try {
        return schemes.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    }, `The ${what} needs a full address starting with ${schemes.map((s) => (s === "mailto:" ? s : `${s}//`)).join(" or ")}`);
}

const LINK_HREF = address(["http:", "https:", "mailto:"], "link");
const IMAGE_SRC = address(["https:", "http:"], "image");

const ZMark = z.discriminatedUnion("type", [
  z.object({ type: z.literal("bold") }),
  z.object({ type: z.literal("italic") }),
  z.object({ type: z.literal("link"), attrs: z.object({ href: LINK_HREF }) }),
]);
const marks = z.array(ZMark).max(8).optional();

const ZInline = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: z.string().min(1), marks }),
  z.object({
    type: z.literal("mergeTag"),
    attrs: z.object({
      key: z.string().trim().regex(MERGE_TAG_KEY, "A merge tag's name has letters, digits, _ and ."),
      fallback: z
        .string()
        .trim()
        .max(200, "A fallback has at most 200 characters")
        .refine((value) => !/[{}]/.test(value), "A fallback cannot contain { or }")
        .nullable()
        .transform((value) => value || null),
    }),
    marks,
  }),
  z.object({ type: z.literal("hardBreak"), marks }),
]);
const inlineContent = z.array(ZInline).optional();

const ZParagraph = z.object({ type: z.literal("paragraph"), content: inlineContent });

// Lists nest (an item holds paragraphs and lists), hence z.lazy.
const ZListItem: z.ZodType<ListItem> = z.lazy(() =>
  z.object({ type: z.literal("listItem"), content: z.array(z.union([ZParagraph, ZBulletList, ZOrderedList])).min(1) }),
) as z.ZodType<ListItem>;
const ZBulletList: z.ZodType<BulletList> = z.lazy(() => z.object({ type: z.literal("bulletList"), content: z.array(ZListItem).min(1) }));
const ZOrderedList: z.ZodType<OrderedList> = z.lazy(() =>
  z.object({
    type: z.literal("orderedList"),
    attrs: z.object({ start: z.number().int().min(0).max(10_000).catch(1) }).optional(),
    content: z.array(ZListItem).min(1),
  }),
) as z.ZodType<OrderedList>;

const ZBlock = z.union([
  ZParagraph,
  z.object({ type: z.literal("heading"), attrs: z.object({ level: z.union([z.literal(1), z.literal(2), z.literal(3)]) }), content: inlineContent }),
  ZBulletList,
  ZOrderedList,
  z.object({
    type: z.literal("button"),
    attrs: z.object({ href: address(["http:", "https:"], "button"), label: z.string().trim().min(1, "Give the button a label").max(200, "At most 200 characters") }),
  }),
  z.object({ type: z.literal("image"), attrs: z.object({ src: IMAGE_SRC, alt: z.string().trim().max(500, "At most 500 characters").nullable().catch("").transform((v) => v ?? "") }) }),
]);

export const ZBodyDoc: z.ZodType<BodyDoc> = z.object({ type: z.literal("doc"), content: z.array(ZBlock) }) as unknown as z.ZodType<BodyDoc>;

/** Merge-tag pattern, as merge-tags.ts reads it. */
const TAG = /\{\{([^{}]*)\}\}/g;

/** The doc, when `stored` is a document (JSON); null for a plain-text body of before the editor. */
export function parseStoredDoc(stored: string): BodyDoc | null {
  if (!stored.trimStart().startsWith("{")) return null;
  let json: unknown;
  try {
    json = JSON.parse(stored);
  } catch {
    return null;
  }
  const parsed = ZBodyDoc.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/**
 * A plain-text body (what steps held before the editor) as a document:
 * blank lines separate paragraphs, a single newline is a line break. Merge
 * tags and bare URLs stay text: the renderer reads `{{...}}` in any text as
 * a tag and links an author's bare URLs, as it did for plain text. The
 * migration 20261206115412_rich_step_bodies does the same in SQL.
 */
export function plainTextToDoc(text: string): BodyDoc {
  const paragraphs = text.replace(/\r\n?/g, "\n").split(/\n{2,}/);
  return {
    type: "doc",
    content: paragraphs.map((p): Paragraph => {
      const content: InlineNode[] = [];
      p.split("\n").forEach((line, i) => {
        if (i > 0) content.push({ type: "hardBreak" });
        if (line) content.push({ type: "text", text: line });
      });
      return content.length ? { type: "paragraph", content } : { type: "paragraph" };
    }),
  };
}

/** The stored body as a document: the editor's JSON, or an older plain-text body converted. */
export function readBody(stored: string): BodyDoc {
  return parseStoredDoc(stored) ?? plainTextToDoc(stored);
}

/** The `{{key}}` / `{{key|fallback}}` text of a merge-tag node. */
export function tagText(attrs: MergeTagNode["attrs"]): string {
  return attrs.fallback ? `{{${attrs.key}|${attrs.fallback}}}` : `{{${attrs.key}}}`;
}

function walkInline(blocks: readonly (Block | ListItem)[], visit: (node: InlineNode) => void, visitBlock?: (block: Block) => void): void {
  for (const block of blocks) {
    if (block.type !== "listItem") visitBlock?.(block);
    if (block.type === "paragraph" || block.type === "heading") block.content?.forEach(visit);
    else if (block.type === "bulletList" || block.type === "orderedList") walkInline(block.content, visit, visitBlock);
    else if (block.type === "listItem") walkInline(block.content, visit, visitBlock);
  }
}

/**
 * Every text of the body that merge tags apply to, tags written as
 * `{{key|fallback}}`: what the save-time tag check and the activation
 * warning read, so a tag means the same in a node or typed as text.
 */
export function bodyTemplateText(stored: string): string {
  return docTemplateText(readBody(stored));
}

export function docTemplateText(doc: BodyDoc): string {
  const parts: string[] = [];
  walkInline(
    doc.content,
    (node) => parts.push(node.type === "text" ? node.text : node.type === "mergeTag" ? tagText(node.attrs) : "\n"),
    (block) => {
      if (block.type === "button") parts.push(`\n${block.attrs.label}\n`);
      else if (block.type !== "image") parts.push("\n");
    },
  );
  return parts.join("");
}

/** Nothing a contact would read or click: no text, tag, button or image. */
export function bodyIsEmpty(stored: string): boolean {
  return docIsEmpty(readBody(stored));
}

export function docIsEmpty(doc: BodyDoc): boolean {
  let empty = true;
  walkInline(
    doc.content,
    (node) => {
      if ((node.type === "text" && node.text.trim()) || node.type === "mergeTag") empty = false;
    },
    (block) => {
      if (block.type === "button" || block.type === "image") empty = false;
    },
  );
  return empty;
}

/** Splits `{{key}}` typed as text into merge-tag nodes (malformed tags stay text, for the save check to name). */
function tokenizeInline(nodes: readonly InlineNode[]): InlineNode[] {
  const out: InlineNode[] = [];
  for (const node of nodes) {
    if (node.type !== "text") {
      out.push(node);
      continue;
    }
    let last = 0;
    for (const match of node.text.matchAll(TAG)) {
      const inner = match[1];
      const pipe = inner.indexOf("|");
      const key = (pipe === -1 ? inner : inner.slice(0, pipe)).trim();
      if (!MERGE_TAG_KEY.test(key)) continue;
      const fallback = pipe === -1 ? null : inner.slice(pipe + 1).trim() || null;
      if (match.index > last) out.push({ ...node, text: node.text.slice(last, match.index) });
      out.push({ type: "mergeTag", attrs: { key, fallback }, ...(node.marks ? { marks: node.marks } : {}) });
      last = match.index + match[0].length;
    }
    if (last < node.text.length) out.push(last === 0 ? node : { ...node, text: node.text.slice(last) });
  }
  return out;
}

function tokenizeBlocks<T extends Block | ListItem>(blocks: readonly T[]): T[] {
  return blocks.map((block) => {
    if ((block.type === "paragraph" || block.type === "heading") && block.content) return { ...block, content: tokenizeInline(block.content) };
    if (block.type === "bulletList" || block.type === "orderedList" || block.type === "listItem") return { ...block, content: tokenizeBlocks(block.content as (Block | ListItem)[]) };
    return block;
  }) as T[];
}

/** The document with typed `{{...}}` tags as merge-tag nodes: what the editor opens and what is saved. */
export function tokenizeMergeTags(doc: BodyDoc): BodyDoc {
  return { type: "doc", content: tokenizeBlocks(doc.content) };
}

/**
 * Whether two stored bodies say the same: the same document once read and
 * tokenized, whatever the JSON's spacing or key order (the migration wrote
 * PostgreSQL's), or plain text against its document. A draft that leaves a
 * body as it was must not list it as edited.
 */
export function sameBody(a: string, b: string): boolean {
  return a === b || JSON.stringify(tokenizeMergeTags(readBody(a))) === JSON.stringify(tokenizeMergeTags(readBody(b)));
}
