/**
 * "Stored text renders escaped": a contact's stored fields, merged into an
 * email by lib/email/render.ts, must come out as inert text in the HTML and
 * on one line in the subject, whatever they contain.
 */
import { expect } from "vitest";
import { renderStepMessage, type MergeContact } from "../../lib/email/render";

const BODY = "Hello {{firstName}} {{lastName}}\n\nof {{company}} <{{email}}>";
const FOOTER_START = "\n\n--\nYou are receiving this because";

/** An independent decoder for the five entities the renderer may produce. */
function decode(html: string): string {
  return html.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
}

const collapseParagraphs = (text: string) => text.replace(/\n{2,}/g, "\n\n");

export function expectRendersEscaped(contact: MergeContact): void {
  const message = renderStepMessage({
    subject: "Hi {{firstName}} from {{company}}",
    body: BODY,
    contact,
    unsubscribeUrl: "http://localhost:3000/unsubscribe/token",
    oneClickUrl: "http://localhost:3000/api/unsubscribe/token",
    postalAddress: "1 Example Street",
    senderName: "Stepwise",
  });
  const bodyHtml = message.html.slice(message.html.indexOf("<!--body-->\n") + 12, message.html.indexOf("\n<!--/body-->"));
  // Only the renderer's own tags remain; everything from the contact is text.
  const withoutOwnTags = bodyHtml.replace(/<p style="[^"<>]*">|<\/p>|<br>/g, "");
  expect(withoutOwnTags).not.toMatch(/[<>"']/);
  expect(withoutOwnTags.replace(/&(amp|lt|gt|quot|#39);/g, "")).not.toContain("&");
  // And that text is exactly what was merged, nothing lost or added.
  const merged = message.text.slice(0, message.text.lastIndexOf(FOOTER_START));
  const shown = decode(bodyHtml.replace(/<\/p>\n<p[^>]*>/g, "\n\n").replace(/<br>/g, "\n").replace(/<\/?p[^>]*>/g, ""));
  // Merged values never become links: each "." ":" "/" "@" is followed by a
  // zero-width space (the template's own text here has none of them).
  expect(shown).not.toMatch(/[.:/@](?!\u200B)/);
  expect(collapseParagraphs(shown.replace(/([.:/@])\u200B/g, "$1"))).toBe(collapseParagraphs(merged));
  // Headers cannot be injected through the subject.
  expect(message.subject).not.toMatch(/[\r\n]/);
}
