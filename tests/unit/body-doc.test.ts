/**
 * The editor's document as stored: the save-time schema is the sanitizer
 * (script/event handlers/javascript: never get in), the renderer escapes
 * whatever text a document holds and drops what the schema refuses, and
 * merge tags mean the same as a node or typed as text.
 */
import { describe, expect, it } from "vitest";
import { bodyIsEmpty, bodyTemplateText, parseStoredDoc, plainTextToDoc, tokenizeMergeTags } from "../../lib/email/body-doc";
import { renderStepMessage } from "../../lib/email/render";
import { ZStepBody } from "../../lib/validations/step-body";

const contact = { email: "ada@example.com", firstName: "Ada", lastName: null, attributes: { company: "Acme" } };
const render = (body: string) =>
  renderStepMessage({ subject: "s", body, contact, unsubscribeUrl: "https://app.example/u/t", oneClickUrl: "https://app.example/api/u/t", postalAddress: "1 St", senderName: "Acme" });
const doc = (...content: unknown[]) => JSON.stringify({ type: "doc", content });
const p = (...content: unknown[]) => ({ type: "paragraph", content });
const link = (href: string, text = "click") => ({ type: "text", text, marks: [{ type: "link", attrs: { href } }] });

const HOSTILE_ADDRESSES = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "data:text/html,<script>1</script>", "vbscript:x", "//evil.example/x", "/relative"];

describe("saving a body (ZStepBody)", () => {
  it("refuses javascript:, data:, vbscript: and relative addresses on links, buttons and images, with a field message", () => {
    for (const href of HOSTILE_ADDRESSES) {
      for (const body of [doc(p(link(href))), doc({ type: "button", attrs: { href, label: "Go" } }), doc({ type: "image", attrs: { src: href, alt: "" } })]) {
        const parsed = ZStepBody.safeParse(body);
        expect(parsed.success, `${href} in ${body}`).toBe(false);
        expect(parsed.error!.issues[0].message).toMatch(/address/);
      }
    }
  });

  it("refuses node types the email cannot carry (a script or an iframe pasted as a node)", () => {
    expect(ZStepBody.safeParse(doc({ type: "script", content: [{ type: "text", text: "alert(1)" }] })).success).toBe(false);
    expect(ZStepBody.safeParse(doc(p({ type: "iframe", attrs: { src: "https://x.example" } }))).success).toBe(false);
  });

  it("drops attributes the schema does not know (event handlers, classes, targets)", () => {
    const parsed = ZStepBody.parse(doc(p({ type: "text", text: "x", marks: [{ type: "link", attrs: { href: "https://x.example", onclick: "alert(1)", target: "_blank", class: "evil" } }] }), { type: "image", attrs: { src: "https://x.example/a.png", alt: "a", onerror: "alert(1)" } }));
    expect(parsed).not.toMatch(/onclick|onerror|_blank|evil/);
    expect(JSON.parse(parsed).content[0].content[0].marks).toEqual([{ type: "link", attrs: { href: "https://x.example" } }]);
  });

  it("refuses a NUL or a lone surrogate, typed or escaped in the JSON, which would otherwise be stored escaped", () => {
    for (const body of ["a\u0000b", doc(p({ type: "text", text: "a\u0000b" })), doc(p({ type: "text", text: "a\uD800" })), '{"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"a\\u0000"}]}]}']) {
      expect(ZStepBody.safeParse(body).error?.issues[0].message, body).toMatch(/not allowed/);
    }
  });

  it("refuses merge tags in addresses, where they would be sent as typed", () => {
    expect(ZStepBody.safeParse(doc(p(link("https://x.example/?u={{email}}")))).error?.issues[0].message).toMatch(/Merge tags cannot go in a link/);
  });

  it("stores plain text as a document, and typed tags as tokens; refuses an empty document", () => {
    expect(JSON.parse(ZStepBody.parse("Hi {{firstName|there}},\n\nbye {{a b}}"))).toEqual({
      type: "doc",
      content: [p({ type: "text", text: "Hi " }, { type: "mergeTag", attrs: { key: "firstName", fallback: "there" } }, { type: "text", text: "," }), p({ type: "text", text: "bye {{a b}}" })],
    });
    expect(ZStepBody.safeParse(doc({ type: "paragraph" })).error?.issues[0].message).toBe("Write the message");
    expect(ZStepBody.safeParse(doc({ type: "image", attrs: { src: "https://x.example/a.png", alt: "" } })).success).toBe(true);
  });
});

describe("rendering a stored document", () => {
  it("escapes script and event handlers written as text, in the HTML part", () => {
    const { html } = render(doc(p({ type: "text", text: '<script>alert(1)</script><img src=x onerror="alert(1)"> <a href="javascript:alert(1)">x</a>' })));
    expect(html).not.toMatch(/<script|<img src=x|<[^>]*\son\w+=|href="javascript:/i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("never sends a javascript: link stored without passing the schema (it is read as text, escaped)", () => {
    for (const href of HOSTILE_ADDRESSES) {
      const stored = doc(p(link(href)), { type: "button", attrs: { href, label: "Go" } });
      expect(parseStoredDoc(stored)).toBeNull();
      const { html } = render(stored);
      expect(html, href).not.toMatch(/href="\s*(javascript|data|vbscript):/i);
      expect(html).not.toMatch(/<a [^>]*href="\/\//);
    }
  });

  it("puts merged values in as text that can never become a link, also inside a link or a button", () => {
    const evil = { ...contact, firstName: '<b onclick="x">http://evil.example</b>' };
    const { html, text } = renderStepMessage({
      subject: "s",
      body: doc(p(link("https://acme.example", "Hi "), { type: "mergeTag", attrs: { key: "firstName", fallback: null }, marks: [{ type: "link", attrs: { href: "https://acme.example" } }] }), { type: "button", attrs: { href: "https://acme.example/b", label: "Go {{firstName}}" } }),
      contact: evil,
      unsubscribeUrl: "https://app.example/u/t",
      oneClickUrl: "https://app.example/api/u/t",
      postalAddress: "1 St",
      senderName: "Acme",
    });
    expect(html).not.toMatch(/<b onclick|href="http:\/\/evil/);
    expect(html).toContain("&lt;b onclick=&quot;x&quot;&gt;http:\u200B/\u200B/\u200Bevil.\u200Bexample&lt;/\u200Bb&gt;");
    expect(text).toContain('Hi <b onclick="x">http://evil.example</b> (https://acme.example)');
  });
});

describe("merge tags in a document", () => {
  it("mean the same as a node or typed as text: the check reads both, the renderer fills both", () => {
    const stored = doc(p({ type: "text", text: "Hi {{FIRSTNAME}} " }, { type: "mergeTag", attrs: { key: "company", fallback: "you" } }), { type: "button", attrs: { href: "https://x.example", label: "{{plan}}" } });
    expect(bodyTemplateText(stored)).toContain("Hi {{FIRSTNAME}} {{company|you}}");
    expect(bodyTemplateText(stored)).toContain("{{plan}}");
    expect(render(stored).text).toMatch(/^Hi Ada Acme\n\n \(https:\/\/x\.example\)/);
  });

  it("tokenizes typed tags with their fallback and marks, leaving malformed ones as text", () => {
    const tokenized = tokenizeMergeTags(plainTextToDoc("a {{ company | the team }} {{1x}}"));
    expect(tokenized.content[0]).toEqual(p({ type: "text", text: "a " }, { type: "mergeTag", attrs: { key: "company", fallback: "the team" } }, { type: "text", text: " {{1x}}" }));
  });

  it("a body with only tags, a button or an image is not empty; blank paragraphs are", () => {
    expect(bodyIsEmpty(doc(p({ type: "mergeTag", attrs: { key: "firstName", fallback: null } })))).toBe(false);
    expect(bodyIsEmpty(doc(p({ type: "text", text: "   " }), { type: "paragraph" }))).toBe(true);
    expect(bodyIsEmpty("   ")).toBe(true);
  });
});
