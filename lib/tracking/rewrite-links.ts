/**
 * The post-render transform of a tracked message's HTML (pure): every
 * http(s) link becomes /r/<token> naming the send and the link's index, and
 * a 1x1 pixel (/o/<token>) goes before </body>. The links as they were are
 * returned, to be stored before the message leaves (TrackedLink): the click
 * route redirects only there. The text part is never changed, so a reader
 * of plain text is not tracked. Links starting with one of `keep` (the
 * unsubscribe page) stay as they are: opting out must never depend on the tracker.
 */
import { createClickToken, createOpenToken } from "./token";

/** Past this many links a message's further links are left alone (and untracked). */
export const MAX_TRACKED_LINKS = 200;

const HREF = /(\shref\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i;
const ENTITY = /&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/gi;
const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeEntities(value: string): string {
  return value.replace(ENTITY, (whole, name: string) => {
    const lower = name.toLowerCase();
    if (NAMED[lower]) return NAMED[lower];
    const code = lower.startsWith("#x") ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** "https://x/" and "https://x///" → "https://x" (a loop: a /\/+$/ pattern is quadratic on many slashes). */
function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === "/") end--;
  return url.slice(0, end);
}

const SPACE = new Set([" ", "\t", "\n", "\r", "\f"]);

/**
 * Applies `replace` to every <a ...> start tag. A scan rather than a
 * /<a\s[^>]*>/ pattern, which is quadratic on many "<a " without a ">".
 */
function replaceAnchors(html: string, replace: (tag: string) => string): string {
  const lower = html.toLowerCase();
  let out = "";
  let from = 0;
  for (;;) {
    const start = lower.indexOf("<a", from);
    if (start === -1 || start + 2 >= html.length) break;
    if (!SPACE.has(html[start + 2])) {
      out += html.slice(from, start + 2);
      from = start + 2;
      continue;
    }
    const end = html.indexOf(">", start);
    if (end === -1) break;
    out += html.slice(from, start) + replace(html.slice(start, end + 1));
    from = end + 1;
  }
  return out + html.slice(from);
}

/** The URL a link goes to if it is one we track: absolute http(s) only (not mailto:, tel:, #anchors). */
export function trackableUrl(raw: string): string | null {
  const value = decodeEntities(raw).trim();
  if (!/^https?:\/\//i.test(value)) return null;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? value : null;
  } catch {
    return null;
  }
}

export type TrackedHtml = { html: string; links: string[] };

export function rewriteLinks(html: string, input: { appUrl: string; sendId: string; keep?: string[]; secret?: string }): TrackedHtml {
  const links: string[] = [];
  const keep = input.keep ?? [];
  const base = withoutTrailingSlashes(input.appUrl);
  const rewritten = replaceAnchors(html, (tag) => {
    if (links.length >= MAX_TRACKED_LINKS) return tag;
    const href = HREF.exec(tag);
    if (!href) return tag;
    const raw = href[2] ?? href[3] ?? href[4] ?? "";
    const url = trackableUrl(raw);
    if (!url || keep.some((prefix) => url.startsWith(prefix))) return tag;
    const index = links.push(url) - 1;
    const tracked = `${base}/r/${createClickToken({ sendId: input.sendId, index }, { secret: input.secret })}`;
    return `${tag.slice(0, href.index)}${href[1]}"${tracked}"${tag.slice(href.index + href[0].length)}`;
  });
  return { html: rewritten, links };
}

/**
 * The open pixel, before </body> (or at the end when there is none): a 1x1
 * table whose background is the tracking image, not an <img>. SpamAssassin's
 * HTML_IMAGE_ONLY_* rules add 0.7-2.8 points to any short message holding an
 * <img> (a 20-word step scored 1.7 with an <img> pixel, 0 with this one;
 * tests/integration/deliverability.test.ts). The price: clients that ignore
 * table backgrounds (Outlook for Windows) report no opens (docs/tracking.md).
 */
export function addOpenPixel(html: string, input: { appUrl: string; sendId: string; secret?: string }): string {
  const src = `${withoutTrailingSlashes(input.appUrl)}/o/${createOpenToken(input.sendId, { secret: input.secret })}`;
  const pixel = `<table role="presentation" width="1" height="1" background="${src}" cellpadding="0" cellspacing="0" border="0"><tr><td></td></tr></table>`;
  const close = html.toLowerCase().lastIndexOf("</body>");
  return close === -1 ? `${html}${pixel}` : `${html.slice(0, close)}${pixel}\n${html.slice(close)}`;
}
