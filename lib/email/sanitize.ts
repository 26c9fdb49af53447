/**
 * The one gate for HTML that is stored or sent (sanitize-html). An
 * allow-list: formatting, links, images by URL and tables for layout; no
 * scripts, no event handlers, no `javascript:`/`data:` URLs, no forms or
 * frames. Inline `style` is allowed only for the properties mail layouts use.
 */
import sanitizeHtml from "sanitize-html";

/** Plain values, or an rgb()/rgba() colour: no url(), expression() or other functions. */
const STYLE_VALUE = [/^[#\w\s.,%'"-]+$/, /^rgba?\([\d\s.,%]+\)$/];

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    "p", "br", "h1", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "blockquote", "hr",
    "a", "img", "span", "div", "table", "thead", "tbody", "tr", "td", "th", "code", "pre",
  ],
  allowedAttributes: {
    a: ["href", "title", "target", "rel", "style", "class"],
    img: ["src", "alt", "width", "height", "style"],
    ol: ["start"],
    td: ["align", "valign", "width", "style", "class"],
    th: ["align", "valign", "width", "style"],
    table: ["role", "width", "cellpadding", "cellspacing", "border", "align", "style", "class"],
    "*": ["style", "class"],
  },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["http", "https"] },
  allowProtocolRelative: false,
  allowedStyles: {
    "*": Object.fromEntries(
      ["color", "background-color", "font-size", "font-weight", "font-family", "font-style", "line-height", "text-align", "text-decoration",
        "padding", "margin", "border", "border-radius", "border-top", "width", "max-width", "display", "height"].map((p) => [p, STYLE_VALUE]),
    ),
  },
  // A removed tag's text stays (as text); a script's or style's contents go with it.
  disallowedTagsMode: "discard",
  nonTextTags: ["script", "style", "textarea", "option", "noscript", "title", "iframe", "object"],
  // sanitize-html escapes only & < > in text; quotes too, so text never carries a raw quote (the hostile-input suite checks it).
  textFilter: (text) => text.replace(/"/g, "&quot;").replace(/'/g, "&#39;"),
};

/** `html` with everything outside the allow-list removed. */
export function sanitizeEmailHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}
