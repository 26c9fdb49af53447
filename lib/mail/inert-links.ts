/**
 * Admin views show sent mail with its unsubscribe links made inert: the
 * token in them would let anyone with the view (a read-only viewer too)
 * change the contact's subscription as if it were the contact's own choice.
 * Recipients use the links from their inbox.
 */
import { MAIL_PREVIEW_CSP } from "../security/headers";

export const HIDDEN_TOKEN = "[link-disabled-in-admin-view]";

/** A signed token in an unsubscribe URL: base64url payload "." base64url signature. */
const TOKEN_IN_URL = /\/unsubscribe\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g;
const HREF = /href="([^"]*)"/g;
/** A tracked link (docs/tracking.md): /r/<send id>.<index>.<signature>. */
const TRACKED_LINK = /\/r\/[0-9a-f-]{36}\.[0-9]{1,3}\.[A-Za-z0-9_-]{43}$/;
/** Image sources: <img src> and the open pixel's table background. */
const SRC = /(?:src|background)="([^"]*)"/g;
/** The open pixel: the preview's policy would block it anyway, but as a reported violation. */
const OPEN_PIXEL = /\/o\/[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/;

/** Text or a header value with every unsubscribe token replaced. */
export function maskUnsubscribeTokens(value: string): string {
  return value.replace(TOKEN_IN_URL, `/unsubscribe/${HIDDEN_TOKEN}`);
}

/**
 * HTML for the sandboxed preview: unsubscribe and tracked-link anchors lose
 * their href (so there is nothing to follow), every token is masked, and the document
 * carries its own restrictive policy.
 */
export function inertMailHtml(html: string): string {
  const withoutLinks = html.replace(HREF, (attribute, url: string) =>
    url.includes("/unsubscribe/")
      ? 'aria-disabled="true" title="Unsubscribe links do not work in the admin view"'
      : TRACKED_LINK.test(url)
        ? 'aria-disabled="true" title="Tracked links do not work in the admin view (a click would count as the contact\'s)"'
        : attribute,
  );
  const withoutPixel = withoutLinks.replace(SRC, (attribute, url: string) => (OPEN_PIXEL.test(url) ? 'data-open-pixel-removed=""' : attribute));
  return `<meta http-equiv="Content-Security-Policy" content="${MAIL_PREVIEW_CSP}">\n${maskUnsubscribeTokens(withoutPixel)}`;
}

/** The message as the admin view shows it. */
export function inertMessage<M extends { html: string; text: string; headers: unknown }>(message: M): Omit<M, "headers"> & { headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  if (message.headers && typeof message.headers === "object") {
    for (const [name, value] of Object.entries(message.headers as Record<string, unknown>)) headers[name] = maskUnsubscribeTokens(String(value));
  }
  return { ...message, html: inertMailHtml(message.html), text: maskUnsubscribeTokens(message.text), headers };
}
