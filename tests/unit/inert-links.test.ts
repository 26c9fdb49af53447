import { describe, expect, it } from "vitest";
import { renderStepMessage } from "../../lib/email/render";
import { createUnsubscribeToken } from "../../lib/email/unsubscribe-token";
import { HIDDEN_TOKEN, inertMessage } from "../../lib/mail/inert-links";

describe("sent mail in admin views", () => {
  const token = createUnsubscribeToken({ contactId: "c-1", messageRef: "s-1" }, { secret: "unit-test-secret-0123456789" });
  const message = renderStepMessage({
    subject: "Hi",
    body: "Hello {{firstName}}",
    contact: { email: "ada@example.com", firstName: "Ada", lastName: null, attributes: {} },
    unsubscribeUrl: `https://app.example/unsubscribe/${token}`,
    oneClickUrl: `https://app.example/api/unsubscribe/${token}`,
    postalAddress: "1 Example St",
    senderName: "Acme",
  });

  it("shows no live token in the HTML, the text or the headers, and no unsubscribe href", () => {
    const shown = inertMessage(message);
    const everything = [shown.html, shown.text, ...Object.values(shown.headers)].join("\n");
    expect(message.html + message.text + message.headers["List-Unsubscribe"]).toContain(token);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(token.split(".")[1]);
    expect(shown.html).not.toMatch(/href="[^"]*unsubscribe/);
    expect(shown.text).toContain(`https://app.example/unsubscribe/${HIDDEN_TOKEN}`);
    expect(shown.headers["List-Unsubscribe"]).toBe(`<https://app.example/api/unsubscribe/${HIDDEN_TOKEN}>`);
    expect(shown.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
  });

  it("gives the preview its own restrictive policy and keeps the message's content", () => {
    const shown = inertMessage(message);
    expect(shown.html.startsWith('<meta http-equiv="Content-Security-Policy" content="default-src \'none\';')).toBe(true);
    expect(shown.html).toContain("Hello Ada");
  });
});
