/**
 * Golden files: the whole message (HTML and text) for each kind of block a
 * step body has. A change to the layout or the rendering shows up as a diff
 * of these files; regenerate them on purpose with UPDATE_GOLDEN=1.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderStepMessage } from "../../lib/email/render";

const DIR = path.join(__dirname, "golden", "render");
const contact = { email: "ada@example.com", firstName: "Ada", lastName: null, attributes: { Company: "Analytical Engines", plan: "" } };

const BLOCKS: Record<string, string> = {
  paragraphs: "First paragraph.\n\nSecond paragraph,\nwith a line break.",
  link: "Start here: https://acme.example/start?ref=mail&x=1. Or (https://acme.example/help).",
  "merge-tags": "Hi {{firstName}} at {{company}}, on the {{plan|free}} plan. {{lastName|Friend}}",
  "escaped-html": "<b>Bold?</b> <script>alert(1)</script> <a href=\"javascript:alert(1)\">x</a> & more",
  empty: "",
};

function golden(name: string, content: string) {
  const file = path.join(DIR, name);
  if (process.env.UPDATE_GOLDEN) fs.writeFileSync(file, content);
  expect(content).toBe(fs.readFileSync(file, "utf8"));
}

describe.each(Object.entries(BLOCKS))("block %s", (name, body) => {
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
