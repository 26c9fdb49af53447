import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ExitRulesList } from "../../components/sequences/builder/exit-rules-list";
import { ReplyDetectionSettings } from "../../components/settings/reply-detection-settings";
import { replyDetectionConfigured } from "../../lib/replies/detection";

const text = (html: string) => html.replace(/<[^>]+>/g, "").replace(/&ldquo;|&rdquo;|&rsquo;|&quot;|&#x27;/g, "'");

describe("reply detection", () => {
  afterEach(() => vi.unstubAllEnvs());

  // Only the mailbox count is read; a stand-in keeps this a unit test.
  const withMailboxes = (n: number) => ({ mailbox: { count: async () => n } }) as unknown as Parameters<typeof replyDetectionConfigured>[0];

  it("is configured only with a usable WEBHOOK_SECRET (the replies webhook refuses everything without one) or a connected mailbox", async () => {
    vi.stubEnv("WEBHOOK_SECRET", "");
    expect(await replyDetectionConfigured(withMailboxes(0))).toBe(false);
    vi.stubEnv("WEBHOOK_SECRET", "short");
    expect(await replyDetectionConfigured(withMailboxes(0))).toBe(false);
    expect(await replyDetectionConfigured(withMailboxes(1))).toBe(true);
    vi.stubEnv("WEBHOOK_SECRET", "a-long-enough-secret-0123456789");
    expect(await replyDetectionConfigured(withMailboxes(0))).toBe(true);
  });

  it("exit-on-reply does not read plain 'On' while nothing can detect a reply, and says how to configure it", () => {
    const html = renderToStaticMarkup(createElement(ExitRulesList, { exitOnReply: true, replyDetection: false }));
    const replied = text(/<li[^>]*data-exit-rule="replied"[^]*?<\/li>/.exec(html)![0]);
    expect(replied).toContain("On, not detected");
    expect(replied).toContain("Reply detection is not configured");
    expect(replied).toContain("WEBHOOK_SECRET");
    expect(replied).toContain("/api/webhooks/replies");
  });

  it("exit-on-reply reads 'On' with no notice once replies are detected, and 'Off' when switched off", () => {
    const on = text(renderToStaticMarkup(createElement(ExitRulesList, { exitOnReply: true, replyDetection: true })));
    expect(on).not.toContain("not detected");
    expect(on).not.toContain("Reply detection is not configured");
    const off = renderToStaticMarkup(createElement(ExitRulesList, { exitOnReply: false, replyDetection: false }));
    expect(text(/<li[^>]*data-exit-rule="replied"[^]*?<\/li>/.exec(off)![0])).toMatch(/Off$/);
  });

  it("Settings says whether reply detection is configured, and how to configure it when not", () => {
    const off = text(renderToStaticMarkup(createElement(ReplyDetectionSettings, { configured: false })));
    expect(off).toContain("Not configured");
    expect(off).toContain("Set WEBHOOK_SECRET");
    const on = text(renderToStaticMarkup(createElement(ReplyDetectionSettings, { configured: true })));
    expect(on).toContain("Configured");
    expect(on).not.toContain("Not configured");
  });
});
