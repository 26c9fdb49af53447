/**
 * What the tracking routes answer besides a redirect: a calm page for a link
 * that is not (or no longer) valid, and the pixel. Neither says why a token
 * failed, and neither ever points anywhere but here.
 */
import { escapeHtml } from "../email/render";

const NO_STORE = { "Cache-Control": "no-store, private", "X-Robots-Tag": "noindex, nofollow" };

export function calmPage(status: 404 | 503, input: { title: string; message: string }): Response {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(input.title)}</title></head>
<body style="font-family: sans-serif; max-width: 32rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5; color: #222">
<h1 style="font-size: 1.25rem">${escapeHtml(input.title)}</h1>
<p>${escapeHtml(input.message)}</p>
</body></html>`;
  return new Response(html, { status, headers: { "Content-Type": "text/html; charset=utf-8", ...NO_STORE } });
}

export const invalidLinkPage = () =>
  calmPage(404, { title: "This link does not work", message: "The link may have been copied incompletely or changed. Nothing has happened; you can close this page." });

export const unavailablePage = () => calmPage(503, { title: "Please try again", message: "This link could not be opened just now. Please try again in a moment." });

/** A transparent 1x1 GIF. */
const PIXEL = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

export function pixel(status: 200 | 404, method: string): Response {
  return new Response(method === "HEAD" ? null : new Uint8Array(PIXEL), {
    status,
    headers: { "Content-Type": "image/gif", "Content-Length": String(PIXEL.length), ...NO_STORE },
  });
}
