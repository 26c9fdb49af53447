/**
 * Golden files: the whole message (HTML and text) for each kind of block a
 * step body has. A change to the layout or the rendering shows up as a diff
 * of these files; regenerate them on purpose with UPDATE_GOLDEN=1.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseStoredDoc } from "../../lib/email/body-doc";
import { renderStepMessage } from "../../lib/email/render";

type Json = Record<string, unknown>;
function doc(...content: Json[]): string {
  return JSON.stringify({ type: "doc", content });
}
function p(...content: Json[]): Json {
  return { type: "paragraph", content };
}
function h(level: number, ...content: Json[]): Json {
  return { type: "heading", attrs: { level }, content };
}
function li(...content: Json[]): Json {
  return { type: "listItem", content };
}
function text(value: string, marks?: Json[]): Json {
  return marks ? { type: "text", text: value, marks } : { type: "text", text: value };
}
function tag(key: string, fallback: string | null = null, marks?: Json[]): Json {
  return { type: "mergeTag", attrs: { key, fallback }, ...(marks ? { marks } : {}) };
}

const DIR = path.join(__dirname, "golden", "render");
const contact = { email: "ada@example.com", firstName: "Ada", lastName: null, attributes: { Company: "Analytical Engines", plan: "" } };

const BLOCKS: Record<string, string> = {
  paragraphs: "First paragraph.\n\nSecond paragraph,\nwith a line break.",
  link: "Start here: https://acme.example/start?ref=mail&x=1. Or (https://acme.example/help).",
  "merge-tags": "Hi {{firstName}} at {{company}}, on the {{plan|free}} plan. {{lastName|Friend}}",
  "escaped-html": "<b>Bold?</b> <script>alert(1)</script> <a href=\"javascript:alert(1)\">x</a> & more",
  empty: "",
  // The editor's documents (lib/email/body-doc.ts), one per block type.
  "doc-paragraph": doc(p(text("One paragraph."), { type: "hardBreak" }, text("A line break.")), p(text("Another, with a bare link https://acme.example/a."))),
  "doc-heading": doc(h(1, text("Big news")), h(2, text("For {{company}}")), h(3, text("Small print"))),
  "doc-bold-italic": doc(p(text("Bold", [{ type: "bold" }]), text(" and "), text("italic", [{ type: "italic" }]), text(" and "), text("both", [{ type: "bold" }, { type: "italic" }]))),
  "doc-list": doc(
    { type: "bulletList", content: [li(p(text("Apples"))), li(p(text("Pears")), { type: "bulletList", content: [li(p(text("Nested")))] })] },
    { type: "orderedList", attrs: { start: 3 }, content: [li(p(text("Third"))), li(p(text("Fourth")))] },
  ),
  "doc-link": doc(p(text("Read "), text("the guide", [{ type: "link", attrs: { href: "https://acme.example/guide?a=1&b=2" } }]), text(" or "), text("mail us", [{ type: "link", attrs: { href: "mailto:help@acme.example" } }]), text("."))),
  "doc-button": doc(p(text("Ready?")), { type: "button", attrs: { href: "https://acme.example/book", label: "Book a call, {{firstName}}" } }),
  "doc-image": doc({ type: "image", attrs: { src: "https://acme.example/logo.png", alt: "Acme logo" } }, { type: "image", attrs: { src: "https://acme.example/x.png", alt: "" } }),
  "doc-merge-tag": doc(p(text("Hi "), tag("firstName"), text(" at "), tag("company", null, [{ type: "bold" }]), text(", on the "), tag("plan", "free"), text(" plan. "), tag("lastName", "Friend"))),
};

function golden(name: string, content: string) {
  const file = path.join(DIR, name);
  if (process.env.UPDATE_GOLDEN) fs.writeFileSync(file, content);
  expect(content).toBe(fs.readFileSync(file, "utf8"));
}

describe.each(Object.entries(BLOCKS))("block %s", (name, body) => {
  it("is read as what it is: a document, or plain text", () => {
    expect(parseStoredDoc(body) !== null).toBe(name.startsWith("doc-"));
  });
  const message = renderStepMessage({
    subject: "Hello {{firstName|there}}",
    body,
    contact,
    unsubscribeUrl: "https://app.example/unsubscribe/tok",
    oneClickUrl: "https://app.example/api/unsubscribe/tok",
    postalAddress: "1 Example St, Springfield",
    senderName: "Acme",
  });
  it("renders the HTML part as its golden file", () => golden(`${name}.html`, message.html));
  it("renders the text part as its golden file", () => golden(`${name}.txt`, message.text));
});
