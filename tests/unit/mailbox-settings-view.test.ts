/**
 * The mailbox's state on the settings page: connected or the error in
 * words, last read, messages read, replies and bounces matched, and
 * whether its OAuth2 token refreshes itself.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import type { MailboxEntry, MailboxView } from "../../lib/mailbox/settings";

vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: () => {} }) }));
vi.mock("@/lib/actions/settings/save-mailbox-action", () => ({ saveMailboxAction: async () => ({ ok: true }) }));
vi.mock("@/lib/actions/settings/test-mailbox-action", () => ({ testMailboxAction: async () => ({ ok: true }) }));
vi.mock("@/lib/actions/settings/remove-mailbox-action", () => ({ removeMailboxAction: async () => ({ ok: true }) }));

const { MailboxesSettings } = await import("../../components/settings/mailboxes-settings");

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
const render = (entries: MailboxEntry[]) => renderToStaticMarkup(createElement(MailboxesSettings, { entries }));
const entry = (mailbox: MailboxView | null, label = "Sales <sales@example.com>"): MailboxEntry => ({ senderId: mailbox?.senderId ?? null, label, isDefault: false, mailbox });
/** The state list's entry for `label` (the label is escaped in the attribute). */
const stateIn = (html: string, label: string) => text(new RegExp(`<dl[^>]*aria-label="Mailbox state: ${label.replace(/</g, "&lt;").replace(/>/g, "&gt;")}"[^]*?</dl>`).exec(html)![0]);
const stateOf = (mailbox: MailboxView) => stateIn(render([entry(mailbox)]), "Sales <sales@example.com>");

const base: MailboxView = {
  id: "default",
  senderId: "00000000-0000-4000-8000-000000000001",
  host: "imap.example.com",
  port: 993,
  tls: true,
  username: "sales@example.com",
  authMethod: "password",
  folder: "INBOX",
  oauthTokenUrl: null,
  oauthClientId: null,
  accessTokenExpiresAt: null,
  lastReadAt: new Date("2026-12-06T10:00:00Z"),
  lastError: null,
  messagesRead: 1234,
  repliesMatched: 56,
  bouncesMatched: 7,
  createdAt: new Date("2026-12-01T00:00:00Z"),
  updatedAt: new Date("2026-12-06T10:00:00Z"),
  hasSecret: true,
  refreshes: false,
};

describe("the mailbox state", () => {
  it("connected: last read, messages read, replies and bounces matched", () => {
    const state = stateOf(base);
    expect(state).toContain("connected");
    expect(state).toMatch(/Messages read 1234/);
    expect(state).toMatch(/Replies \/ bounces matched 56 \/ 7/);
    expect(state).not.toContain("Not yet");
  });

  it("the last error in words", () => {
    const state = stateOf({ ...base, lastError: "imap.example.com:993 refused the user name or password (or token)." });
    expect(state).toContain("error");
    expect(state).toContain("refused the user name or password (or token).");
    expect(state).not.toMatch(/\bconnected\b/);
  });

  it("never read yet: says so rather than 'connected'", () => {
    const state = stateOf({ ...base, lastReadAt: null });
    expect(state).toContain("not read yet");
    expect(state).toContain("Not yet");
    expect(state).not.toMatch(/\bconnected\b/);
  });

  it("an OAuth2 token that refreshes itself, with its expiry", () => {
    const state = stateOf({ ...base, authMethod: "oauth2", refreshes: true, oauthTokenUrl: "https://oauth2.example/token", oauthClientId: "c", accessTokenExpiresAt: new Date("2026-12-06T11:00:00Z") });
    expect(state).toMatch(/Access token refreshed automatically; the current one expires/);
  });
});

describe("one state per sender's mailbox", () => {
  it("each mailbox shows its own state; a sender without one says so", () => {
    const html = render([
      entry(base, "Sales <sales@example.com>"),
      entry({ ...base, id: "m2", senderId: "00000000-0000-4000-8000-000000000002", username: "support@example.com", lastError: "imap.example.com:993 refused the user name or password (or token).", messagesRead: 9, repliesMatched: 2, bouncesMatched: 1 }, "Support <support@example.com>"),
      { senderId: "00000000-0000-4000-8000-000000000003", label: "News <news@example.com>", isDefault: true, mailbox: null },
    ]);
    const sales = stateIn(html, "Sales <sales@example.com>");
    expect(sales).toContain("connected");
    expect(sales).toMatch(/Replies \/ bounces matched 56 \/ 7/);
    const support = stateIn(html, "Support <support@example.com>");
    expect(support).toContain("refused the user name or password");
    expect(support).toMatch(/Messages read 9/);
    expect(support).toMatch(/Replies \/ bounces matched 2 \/ 1/);
    expect(support).not.toMatch(/\bconnected\b/);
    const list = text(/<ul[^>]*aria-label="Mailboxes"[^]*?<\/ul>/.exec(html)![0]);
    expect(list).toMatch(/News &lt;news@example.com&gt; · default sender No mailbox connected/);
  });
});
