/**
 * Turns a sequence step into a message for one contact: merge tags, the
 * HTML body (sanitized, in a responsive layout with inlined CSS), a
 * plain-text alternative, the unsubscribe link and headers (RFC 8058), and
 * the sender's postal address (CAN-SPAM).
 *
 * This is the only renderer: the builder's preview, "send a test" and real
 * sends all call it, so what is previewed is what is sent. Its output stays
 * a plain {subject, text, html, headers} for later steps (link tracking).
 */
import { renderBody } from "./body-render";
import { footerText, emailDocument } from "./layout";
import { applyMergeTags, type MergeContact } from "./merge-tags";
import { sanitizeEmailHtml } from "./sanitize";

export { applyMergeTags, type MergeContact } from "./merge-tags";
export { escapeHtml } from "./text-body";

export type RenderedMessage = {
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
};


/** Header values must be one line: a CR/LF would let content inject headers. */
function singleLine(value: string): string {
  return value.replace(/[\r\n]+/g, " ").trim();
}

export type RenderInput = {
  subject: string;
  body: string;
  contact: MergeContact;
  unsubscribeUrl: string;
  oneClickUrl: string;
  postalAddress: string;
  senderName: string;
};

export function renderStepMessage(input: RenderInput): RenderedMessage {
  const footer = { senderName: input.senderName, unsubscribeUrl: input.unsubscribeUrl, postalAddress: input.postalAddress };
  const subject = singleLine(applyMergeTags(input.subject, input.contact));
  // The body is the editor's document (or an older plain-text body, read as one); both parts come from it.
  const body = renderBody(input.body, input.contact);
  return {
    subject,
    text: `${body.text}\n\n${footerText(footer)}\n`,
    html: emailDocument(sanitizeEmailHtml(body.html), footer),
    headers: {
      // RFC 8058: mailbox providers POST "List-Unsubscribe=One-Click" to the https URL.
      "List-Unsubscribe": `<${input.oneClickUrl}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  };
}
