import { describe, expect, it } from "vitest";
import { sanitizeEmailHtml } from "../../lib/email/sanitize";

describe("sanitizeEmailHtml", () => {
  it("removes scripts with their contents, and style, iframe and form elements", () => {
    const out = sanitizeEmailHtml('<p>Hi</p><script>alert(1)</script><style>p{}</style><iframe src="https://x.example"></iframe><form action="/x"><input name="a"></form>');
    expect(out).toBe("<p>Hi</p>");
  });
  it("removes every event handler attribute", () => {
    const out = sanitizeEmailHtml('<p onclick="alert(1)" onmouseover="x()">a</p><img src="https://x.example/a.png" onerror="alert(1)"><a href="https://x.example" onfocus="y()">l</a>');
    expect(out).toBe('<p>a</p><img src="https://x.example/a.png" /><a href="https://x.example">l</a>');
    expect(out).not.toMatch(/\bon\w+=/i);
  });
  it("drops javascript:, data: and vbscript: links however they are spelled, keeping the link text", () => {
    for (const href of ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)", "&#106;avascript:alert(1)", "data:text/html,<script>1</script>", "vbscript:x"]) {
      const out = sanitizeEmailHtml(`<a href="${href}">click</a>`);
      expect(out, href).toBe("<a>click</a>");
    }
    expect(sanitizeEmailHtml('<img src="data:image/png;base64,AAAA">')).toBe("<img />");
  });
  it("keeps http(s) and mailto links, headings, lists, emphasis and images by URL", () => {
    const html = '<h2>Title</h2><p><strong>b</strong> <em>i</em> <a href="mailto:a@example.com">m</a> <a href="https://x.example/p?a=1&amp;b=2">w</a></p><ul><li>one</li></ul><img src="https://x.example/i.png" alt="logo" />';
    expect(sanitizeEmailHtml(html)).toBe(html);
  });
  it("keeps only plain style declarations (no url(), no expression())", () => {
    expect(sanitizeEmailHtml('<p style="color: #333; background-image: url(https://x.example/t.png)">a</p>')).toBe('<p style="color:#333">a</p>');
    expect(sanitizeEmailHtml('<p style="width: expression(alert(1))">a</p>')).toBe("<p>a</p>");
  });
});
