/**
 * The mailbox's state on the settings page: connected or the error in
 * words, last read, messages read, replies and bounces matched, and
 * whether its OAuth2 token refreshes itself.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import type { MailboxView } from "../../lib/mailbox/settings";

vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: () => {} }) }));
vi.mock("@/lib/actions/settings/save-mailbox-action", () => ({ saveMailboxAction: async () => ({ ok: true }) }));
vi.mock("@/lib/actions/settings/test-mailbox-action", () => ({ testMailboxAction: async () => ({ ok: true }) }));
vi.mock("@/lib/actions/settings/remove-mailbox-action", () => ({ removeMailboxAction: async () => ({ ok: true }) }));

const { MailboxSettings } = await import("../../components/settings/mailbox-settings");

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
const stateOf = (mailbox: MailboxView) => text(/<dl[^>]*aria-label="Mailbox state"[^]*?<\/dl>/.exec(renderToStaticMarkup(createElement(MailboxSettings, { mailbox })))![0]);

const base: MailboxView = {
  id: "default",
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
