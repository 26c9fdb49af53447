/**
 * Turns a sequence step into a message for one contact: merge tags, HTML
 * escaping, the unsubscribe link and headers (RFC 8058), and the sender's
 * postal address (CAN-SPAM).
 *
 * Merge tags: {{firstName}}, {{lastName}}, {{email}}, and any custom
 * attribute ({{company}}). A fallback follows a pipe: {{firstName|there}}.
 * An unknown or empty tag renders its fallback, or nothing.
 */
export type MergeContact = {
  email: string;
  firstName: string | null;
  lastName: string | null;
  attributes: unknown;
};

export type RenderedMessage = {
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
};

/**
 * A tag is whatever sits between "{{" and "}}" with no brace inside; the key
 * and fallback are split and trimmed in code. No two parts of this pattern
 * can match the same text, so it runs in linear time on any input (a
 * pattern with overlapping `\s*` runs took minutes on 20,000 spaces).
 */
const TAG = /\{\{([^{}]*)\}\}/g;
const KEY = /^[a-zA-Z_][\w.]*$/;

export const MERGE_TAG_HELP = [
  { tag: "{{firstName}}", description: "First name" },
  { tag: "{{lastName}}", description: "Last name" },
  { tag: "{{email}}", description: "Email address" },
  { tag: "{{company}}", description: "Any custom attribute, by its key" },
  { tag: "{{firstName|there}}", description: "With a fallback when empty" },
];

function mergeValues(contact: MergeContact): Record<string, string> {
  const values: Record<string, string> = {};
  if (contact.attributes && typeof contact.attributes === "object" && !Array.isArray(contact.attributes)) {
    for (const [key, value] of Object.entries(contact.attributes as Record<string, unknown>)) {
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") values[key] = String(value);
    }
  }
  // Built-in fields win over attributes of the same name.
  values.firstName = contact.firstName ?? "";
  values.lastName = contact.lastName ?? "";
  values.email = contact.email;
  return values;
}

/** Replaces merge tags; `escape` is applied to substituted values only. */
export function applyMergeTags(template: string, contact: MergeContact, escape: (s: string) => string = (s) => s): string {
  const values = mergeValues(contact);
  return template.replace(TAG, (match, inner: string) => {
    const pipe = inner.indexOf("|");
    const key = (pipe === -1 ? inner : inner.slice(0, pipe)).trim();
    if (!KEY.test(key)) return match;
    const fallback = pipe === -1 ? "" : inner.slice(pipe + 1).trim();
    const value = values[key]?.trim();
    return escape(value ? value : fallback);
  });
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
}

/** Header values must be one line: a CR/LF would let content inject headers. */
function singleLine(value: string): string {
  return value.replace(/[\r\n]+/g, " ").trim();
}

/** Plain text with blank-line paragraphs becomes escaped HTML paragraphs. */
function textToHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
    .join("\n");
}

/** Private-use characters that mark where a merged value starts and ends. */
const OPEN = "\uE000";
const CLOSE = "\uE001";
const MARKERS = /[\uE000\uE001]/g;
const MARKED = /\uE000([^\uE000\uE001]*)\uE001/g;

/**
 * A zero-width space after each "." ":" "/" and "@" of a merged value, so
 * no mail client turns a contact-supplied "http://evil.example" into a link;
 * the text reads the same.
 */
function unlinkable(escapedValue: string): string {
  return escapedValue.replace(/[.:/@]/g, "$&\u200B");
}

/** The body as HTML, with merged values kept from becoming links. */
function mergedToHtml(template: string, contact: MergeContact): string {
  const marked = applyMergeTags(template.replace(MARKERS, ""), contact, (value) => `${OPEN}${value.replace(MARKERS, "")}${CLOSE}`);
  return textToHtml(marked).replace(MARKED, (_m, value: string) => unlinkable(value));
}

export function renderStepMessage(input: {
  subject: string;
  body: string;
  contact: MergeContact;
  unsubscribeUrl: string;
  oneClickUrl: string;
  postalAddress: string;
  senderName: string;
}): RenderedMessage {
  const subject = singleLine(applyMergeTags(input.subject, input.contact));
  const bodyText = applyMergeTags(input.body, input.contact);
  const bodyHtml = mergedToHtml(input.body, input.contact);
  const footerText = `--\nYou are receiving this because you are in touch with ${input.senderName}.\nUnsubscribe: ${input.unsubscribeUrl}\n${input.postalAddress}`;
  const html = [
    "<!doctype html>",
    '<html><body style="font-family: sans-serif; line-height: 1.5">',
    bodyHtml,
    '<hr style="border:none;border-top:1px solid #ddd;margin-top:2em">',
    `<p style="font-size:12px;color:#666">You are receiving this because you are in touch with ${escapeHtml(input.senderName)}. `,
    `<a href="${escapeHtml(input.unsubscribeUrl)}">Unsubscribe</a><br>${escapeHtml(input.postalAddress)}</p>`,
    "</body></html>",
  ].join("\n");
  return {
    subject,
    text: `${bodyText}\n\n${footerText}\n`,
    html,
    headers: {
      // RFC 8058: mailbox providers POST "List-Unsubscribe=One-Click" to the https URL.
      "List-Unsubscribe": `<${input.oneClickUrl}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  };
}
