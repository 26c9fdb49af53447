/**
 * Text of a step body as HTML: merge tags applied, the author's bare URLs as
 * links (outside links of their own). Values merged from a contact are
 * escaped and can never become links (a contact named "http://evil.example"
 * stays text).
 */
import { applyMergeTags, type MergeContact } from "./merge-tags";

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
}

/** Private-use characters that mark where a merged value starts and ends. */
const OPEN = "\uE000";
const CLOSE = "\uE001";
const MARKERS = /[\uE000\uE001]/g;
const MARKED = /\uE000([^\uE000\uE001]*)\uE001/g;
/** An author's URL: it ends at whitespace, an angle bracket or a quote (merged values are cut out first). */
const BARE_URL = /\bhttps?:\/\/[^\s<>"']+/g;
const TRAILING_PUNCTUATION = ".,;:!?)]";

/** How many characters at the end of a URL are sentence punctuation ("see https://x.example."). */
function trailingPunctuation(url: string): number {
  let n = 0;
  while (n < url.length && TRAILING_PUNCTUATION.includes(url[url.length - 1 - n])) n++;
  return n;
}

/**
 * A zero-width space after each "." ":" "/" and "@" of a merged value, so
 * no mail client turns a contact-supplied "http://evil.example" into a link;
 * the text reads the same.
 */
function unlinkable(escapedValue: string): string {
  return escapedValue.replace(/[.:/@]/g, "$&\u200B");
}

/** Escapes raw text, turning the author's bare URLs into links. */
function escapeAndLinkify(raw: string, linkify: boolean): string {
  if (!linkify) return escapeHtml(raw);
  let html = "";
  let last = 0;
  for (const match of raw.matchAll(BARE_URL)) {
    const end = match[0].length - trailingPunctuation(match[0]);
    const url = escapeHtml(match[0].slice(0, end));
    html += `${escapeHtml(raw.slice(last, match.index))}<a href="${url}">${url}</a>`;
    last = match.index + end;
  }
  return html + escapeHtml(raw.slice(last));
}

/** The author's text escaped and linkified; merged values escaped and unlinkable. Newlines kept. */
function inlineHtml(marked: string, linkify: boolean): string {
  let html = "";
  let last = 0;
  for (const match of marked.matchAll(MARKED)) {
    html += escapeAndLinkify(marked.slice(last, match.index), linkify) + unlinkable(escapeHtml(match[1]));
    last = match.index + match[0].length;
  }
  return html + escapeAndLinkify(marked.slice(last), linkify);
}

/**
 * One run of body text as HTML: tags merged (values escaped, unlinkable),
 * author text escaped; `linkify` links the author's bare URLs (not inside
 * a link of the author's own). Newlines are kept.
 */
export function mergedInlineHtml(template: string, contact: MergeContact, linkify: boolean): string {
  const marked = applyMergeTags(template.replace(MARKERS, ""), contact, (value) => `${OPEN}${value.replace(MARKERS, "")}${CLOSE}`);
  return inlineHtml(marked.replace(/\r\n?/g, "\n"), linkify);
}
