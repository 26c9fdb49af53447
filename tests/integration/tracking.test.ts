/**
 * Engagement tracking through the real send path (run-step → the mail
 * catcher) and the real /r/ and /o/ route handlers: what a click and an open
 * record and where they lead, forged tokens, unique counts, machine
 * traffic, tracking switched off, and attribution of unsubscribes, replies
 * and bounces to the step that caused them.
 *
 * Step bodies are plain text today: their HTML has links only where the
 * author wrote a bare URL. The links a rich body will have (attributes,
 * single quotes, mailto:, anchors) are added to the composed message's body
 * here, before the tracking transform runs on it as it does on every send.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { testDatabaseUrl } from "../support/database-url";

vi.mock("../../lib/email/compose", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../lib/email/compose")>();
  return {
    ...actual,
    composeStepMessage: (input: Parameters<typeof actual.composeStepMessage>[0]) => {
      const message = actual.composeStepMessage(input);
      const links = `<p><a href="https://example.com/pricing?plan=pro&amp;ref=mail">Pricing</a> <a class="x" href='https://docs.example.org/start'>Start</a> <a href="mailto:hi@example.com">Mail us</a> <a href="#top">Top</a></p>`;
      if (!message.html.includes("<!--/body-->")) throw new Error("the layout's body marker moved: update this mock");
      return { ...message, html: message.html.replace("<!--/body-->", `${links}\n<!--/body-->`) };
    },
  };
});

const SECRET = "tracking-test-secret-0123456789";
process.env.DATABASE_URL = testDatabaseUrl();
process.env.STEPWISE_SIGNING_SECRET = SECRET;

const { setClock } = await import("../../lib/clock");
const { markBounced } = await import("../../lib/contacts/bounce");
const { setTransport } = await import("../../lib/email/transports");
const { CatcherTransport } = await import("../../lib/email/transports/catcher");
const { recordInboundReply } = await import("../../lib/replies/record-reply");
const { enrollContact } = await import("../../lib/sequences/enroll-contact");
const { planNextStep, sendStep } = await import("../../lib/sequences/run-step");
const { getSequenceAnalytics, getSequenceRates } = await import("../../lib/tracking/analytics");
const { sequenceListPage } = await import("../../lib/sequences/sequence-list");
const { setSequenceTracking } = await import("../../lib/tracking/settings");
const { createClickToken, createOpenToken } = await import("../../lib/tracking/token");
const click = await import("../../app/r/[token]/route");
const open = await import("../../app/o/[token]/route");
const oneClick = await import("../../app/api/unsubscribe/[token]/route");
const { resetDb, testDb } = await import("../support/db");
const { recordEvents } = await import("../support/events");
const { makeContact, makeSequence } = await import("../support/factories");

const db = testDb();
const events = recordEvents();
const BROWSER = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";

let at = Date.parse("2026-06-01T09:00:00Z");
const advance = (ms: number) => {
  at += ms;
};

beforeEach(async () => {
  await resetDb();
  at = Date.parse("2026-06-01T09:00:00Z");
  setClock({ now: () => at });
  setTransport(new CatcherTransport(db));
});
afterEach(() => {
  setClock(null);
  setTransport(null);
});
afterAll(() => events.restore());

/** Enrolls a new contact and sends the sequence's steps one by one; returns the caught messages. */
async function sendAll(options: { trackingEnabled?: boolean; steps?: number } = {}) {
  const sequence = await makeSequence(db, {
    trackingEnabled: options.trackingEnabled ?? true,
    steps: Array.from({ length: options.steps ?? 1 }, () => ({ delayAmount: 0, delayUnit: "minutes" as const })),
  });
  const contact = await makeContact(db);
  const enrolled = await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
  if (enrolled.outcome !== "enrolled") throw new Error(enrolled.outcome);
  const enrollmentId = enrolled.enrollmentId;
  for (const step of sequence.steps) {
    const plan = await planNextStep(db, { enrollmentId });
    if (plan.kind !== "step") throw new Error(`expected a step, got ${plan.kind}`);
    expect((await sendStep(db, { enrollmentId, stepId: plan.stepId, version: plan.version })).outcome).toBe("sent");
    advance(1_000);
    void step;
  }
  const messages = await db.caughtMessage.findMany({ where: { enrollmentId }, orderBy: { createdAt: "asc" } });
  const sends = await db.stepSend.findMany({ where: { enrollmentId }, orderBy: { sentAt: "asc" } });
  return { sequence, contact, enrollmentId, messages, sends };
}

const trackedLinks = (html: string) => [...html.matchAll(/href="(http:\/\/[^"]+\/r\/[^"]+)"/g)].map((m) => m[1]);
const pixelUrl = (html: string) => /<table [^>]*background="([^"]+\/o\/[^"]+)"/.exec(html)?.[1] ?? null;
const tokenOf = (url: string) => decodeURIComponent(url.split("/").pop()!);

async function get(route: { GET: (r: Request, c: { params: Promise<{ token: string }> }) => Promise<Response> }, token: string, init: { method?: string; userAgent?: string | null; ip?: string } = {}) {
  const headers: Record<string, string> = { "x-forwarded-for": init.ip ?? "198.51.100.20" };
  if (init.userAgent !== null) headers["user-agent"] = init.userAgent ?? BROWSER;
  return route.GET(new Request(`http://localhost:3000/x/${encodeURIComponent(token)}`, { method: init.method ?? "GET", headers }), { params: Promise.resolve({ token }) });
}

async function stepNumbers(sequenceId: string, index = 0) {
  return (await getSequenceAnalytics(db, sequenceId)).steps[index];
}

describe("click tracking", () => {
  it("rewrites the message's http(s) links, leaves mailto:, anchors and the unsubscribe link alone, and stores the links as sent", async () => {
    const { messages, sends } = await sendAll();
    const html = messages[0].html;
    expect(trackedLinks(html)).toHaveLength(2);
    expect(html).not.toContain("https://example.com/pricing");
    expect(html).toContain('href="mailto:hi@example.com"');
    expect(html).toContain('href="#top"');
    // The layout's inlined CSS may follow the href with a style attribute.
    expect(html).toMatch(/href="http:\/\/localhost:3000\/unsubscribe\/[^"]+"[^>]*>Unsubscribe/);
    // The text part is untouched.
    expect(messages[0].text).not.toContain("/r/");
    const stored = await db.trackedLink.findMany({ where: { sendId: sends[0].id }, orderBy: { index: "asc" } });
    expect(stored.map((l) => l.url)).toEqual(["https://example.com/pricing?plan=pro&ref=mail", "https://docs.example.org/start"]);
  });

  it("a click records one click and redirects to the stored URL", async () => {
    const { sequence, messages, sends } = await sendAll();
    advance(60_000);
    const response = await get(click, tokenOf(trackedLinks(messages[0].html)[0]));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("https://example.com/pricing?plan=pro&ref=mail");
    const recorded = await db.trackingEvent.findMany();
    expect(recorded).toMatchObject([{ type: "click", sendId: sends[0].id, linkIndex: 0, machine: false, machineReason: null }]);
    expect(await stepNumbers(sequence.id)).toMatchObject({ sent: 1, delivered: 1, clicked: 1, opened: 0, machine: 0, rates: { click: 1 } });
  });

  it("a forged, altered or unknown token records nothing and redirects nowhere", async () => {
    const { messages, sends } = await sendAll();
    advance(60_000);
    const valid = tokenOf(trackedLinks(messages[0].html)[0]);
    const lastChar = valid.at(-1) === "A" ? "B" : "A";
    const attempts = [
      `${valid.slice(0, -1)}${lastChar}`,
      valid.replace(".0.", ".1."),
      createClickToken({ sendId: sends[0].id, index: 0 }, { secret: "someone-elses-secret-0123456789" }),
      // Properly signed, but no link 7 was sent.
      createClickToken({ sendId: sends[0].id, index: 7 }),
      createClickToken({ sendId: "00000000-0000-4000-8000-000000000000", index: 0 }),
      "https://evil.example/",
      "",
    ];
    for (const token of attempts) {
      const response = await get(click, token);
      expect(response.status, token).toBe(404);
      expect(response.headers.get("location")).toBeNull();
      expect(await response.text()).toContain("This link does not work");
    }
    expect(await db.trackingEvent.count()).toBe(0);
    expect(await db.sendEngagement.count()).toBe(0);
  });

  it("repeated clicks are recorded once a minute per link but count once as unique", async () => {
    const { sequence, messages } = await sendAll();
    advance(60_000);
    const [first, second] = trackedLinks(messages[0].html).map(tokenOf);
    for (const token of [first, first, second]) expect((await get(click, token)).status).toBe(302);
    advance(60_000);
    expect((await get(click, first)).status).toBe(302);
    const recorded = await db.trackingEvent.findMany({ where: { type: "click", machine: false }, orderBy: { id: "asc" } });
    expect(recorded.map((e) => e.linkIndex)).toEqual([0, 1, 0]);
    expect(await stepNumbers(sequence.id)).toMatchObject({ clicked: 1 });
  });

  it("a flood of clicks and opens from one client writes a bounded number of rows, and every click still redirects", async () => {
    const { sequence, messages, sends } = await sendAll();
    advance(60_000);
    const token = tokenOf(trackedLinks(messages[0].html)[0]);
    const pixel = tokenOf(pixelUrl(messages[0].html)!);
    const flood = <T,>(n: number, call: () => Promise<T>) => Promise.all(Array.from({ length: n }, call));
    const clicks = await flood(40, () => get(click, token));
    const bots = await flood(40, () => get(click, token, { userAgent: "python-requests/2.32" }));
    const opens = await flood(40, () => get(open, pixel));
    for (const response of [...clicks, ...bots]) {
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe("https://example.com/pricing?plan=pro&ref=mail");
    }
    for (const response of opens) expect(response.status).toBe(200);
    const kept = await db.trackingEvent.findMany({ where: { sendId: sends[0].id }, orderBy: { id: "asc" } });
    expect(kept.map((e) => [e.type, e.machineReason])).toEqual([
      ["click", null],
      ["click", "bot_user_agent"],
      ["open", null],
    ]);
    // The machine counter counts the rows kept, not the requests.
    expect(await stepNumbers(sequence.id)).toMatchObject({ clicked: 1, opened: 1, machine: 1 });
    // The next minute the same link is recorded again.
    advance(60_000);
    expect((await get(click, token)).status).toBe(302);
    expect(await db.trackingEvent.count({ where: { sendId: sends[0].id } })).toBe(4);
  });

  it("a scanner-like click within seconds of delivery, a HEAD request and a bot are machine traffic, not counted", async () => {
    const { sequence, messages } = await sendAll();
    const token = tokenOf(trackedLinks(messages[0].html)[0]);
    advance(2_000);
    const fast = await get(click, token);
    // The scanner still gets the stored destination: it is the reader's link.
    expect(fast.status).toBe(302);
    expect(fast.headers.get("location")).toBe("https://example.com/pricing?plan=pro&ref=mail");
    advance(60_000);
    expect((await get(click, token, { method: "HEAD" })).status).toBe(302);
    expect((await get(click, token, { userAgent: "python-requests/2.32" })).status).toBe(302);
    expect((await get(click, token, { userAgent: null })).status).toBe(302);
    const reasons = (await db.trackingEvent.findMany({ orderBy: { id: "asc" } })).map((e) => [e.machine, e.machineReason]);
    expect(reasons).toEqual([
      [true, "too_fast"],
      [true, "head_request"],
      [true, "bot_user_agent"],
      [true, "no_user_agent"],
    ]);
    expect(await stepNumbers(sequence.id)).toMatchObject({ clicked: 0, machine: 4 });
    // A person's click afterwards counts.
    expect((await get(click, token)).status).toBe(302);
    expect(await stepNumbers(sequence.id)).toMatchObject({ clicked: 1, machine: 4 });
  });
});

describe("open tracking", () => {
  it("the pixel records a person's open once; Apple Mail Privacy Protection is kept apart", async () => {
    const { sequence, messages, sends } = await sendAll();
    const url = pixelUrl(messages[0].html);
    expect(url).not.toBeNull();
    const token = tokenOf(url!);
    advance(1_000);
    const mpp = await get(open, token, { userAgent: "Mozilla/5.0" });
    expect(mpp.status).toBe(200);
    expect(mpp.headers.get("content-type")).toBe("image/gif");
    // A minute apart: repeats within one minute are recorded once (the flood test).
    advance(60_000);
    expect((await get(open, token, { ip: "17.58.1.9", userAgent: BROWSER })).status).toBe(200);
    advance(3_600_000);
    expect((await get(open, token)).status).toBe(200);
    advance(60_000);
    expect((await get(open, token)).status).toBe(200);
    const recorded = await db.trackingEvent.findMany({ orderBy: { id: "asc" } });
    expect(recorded.map((e) => [e.type, e.sendId, e.machine, e.machineReason])).toEqual([
      ["open", sends[0].id, true, "apple_privacy_proxy"],
      ["open", sends[0].id, true, "apple_privacy_proxy"],
      ["open", sends[0].id, false, null],
      ["open", sends[0].id, false, null],
    ]);
    expect(await stepNumbers(sequence.id)).toMatchObject({ opened: 1, machine: 2, rates: { open: 1 } });
  });

  it("a forged pixel token answers the image with a 404 and records nothing", async () => {
    const { sends } = await sendAll();
    for (const token of [createOpenToken(sends[0].id, { secret: "someone-elses-secret-0123456789" }), `${sends[0].id}.x`, "", createOpenToken("00000000-0000-4000-8000-000000000000")]) {
      const response = await get(open, token);
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toBe("image/gif");
    }
    expect(await db.trackingEvent.count()).toBe(0);
  });
});

describe("tracking switched off for a sequence", () => {
  it("sends the links as written and no pixel, and stores no links", async () => {
    const { messages, sends } = await sendAll({ trackingEnabled: false });
    const html = messages[0].html;
    expect(html).toContain('href="https://example.com/pricing?plan=pro&amp;ref=mail"');
    expect(html).not.toMatch(/\/r\/|\/o\//);
    expect(pixelUrl(html)).toBeNull();
    expect(await db.trackedLink.count({ where: { sendId: sends[0].id } })).toBe(0);
  });
});

describe("the tracking switch", () => {
  it("switched off, the next message goes out untracked; switched on again, tracked", async () => {
    const sequence = await makeSequence(db, { steps: [{ delayAmount: 0, delayUnit: "minutes" }] });
    await setSequenceTracking(db, { sequenceId: sequence.id, enabled: false });
    expect((await db.sequence.findUniqueOrThrow({ where: { id: sequence.id } })).trackingEnabled).toBe(false);
    await setSequenceTracking(db, { sequenceId: sequence.id, enabled: true });
    expect((await db.sequence.findUniqueOrThrow({ where: { id: sequence.id } })).trackingEnabled).toBe(true);
    await expect(setSequenceTracking(db, { sequenceId: "00000000-0000-4000-8000-000000000000", enabled: false })).rejects.toMatchObject({ code: "not_found" });
    await expect(setSequenceTracking(db, { sequenceId: sequence.id, enabled: "no" as unknown as boolean })).rejects.toMatchObject({ code: "validation" });
  });
});

describe("attribution to the step that caused it", () => {
  it("a one-click unsubscribe from step 2's message counts against step 2", async () => {
    const { sequence, messages } = await sendAll({ steps: 2 });
    const header = (messages[1].headers as Record<string, string>)["List-Unsubscribe"];
    const token = tokenOf(header.slice(1, -1));
    const response = await oneClick.POST(
      new Request(`http://localhost:3000/api/unsubscribe/${token}`, { method: "POST", body: "List-Unsubscribe=One-Click", headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": "198.51.100.7" } }),
      { params: Promise.resolve({ token }) },
    );
    expect(response.status).toBe(200);
    const analytics = await getSequenceAnalytics(db, sequence.id);
    expect(analytics.steps.map((s) => s.unsubscribed)).toEqual([0, 1]);
    expect(analytics.total).toMatchObject({ sent: 2, unsubscribed: 1 });
    expect(analytics.exits.opted_out).toBe(1);
  });

  it("a reply matched by In-Reply-To counts against the step it answers, once", async () => {
    const { sequence, contact, sends } = await sendAll({ steps: 2 });
    const reply = { from: contact.email, subject: "Re: Step 1", inReplyTo: `<${sends[0].messageId}>`, messageId: "<reply-1@example.com>" };
    expect((await recordInboundReply(db, reply, { provider: "generic" })).matchedSend).toBe(true);
    // The provider retries the webhook: still one.
    await recordInboundReply(db, reply, { provider: "generic" });
    expect((await getSequenceAnalytics(db, sequence.id)).steps.map((s) => s.replied)).toEqual([1, 0]);
  });

  it("a bounce counts against the send that bounced (named by the report, else the latest)", async () => {
    const named = await sendAll({ steps: 2 });
    await markBounced(db, { email: named.contact.email, kind: "hard", sendId: named.sends[0].id });
    expect((await getSequenceAnalytics(db, named.sequence.id)).steps.map((s) => [s.bounced, s.delivered])).toEqual([
      [1, 0],
      [0, 1],
    ]);
    const unnamed = await sendAll({ steps: 2 });
    await markBounced(db, { email: unnamed.contact.email, kind: "hard" });
    expect((await getSequenceAnalytics(db, unnamed.sequence.id)).steps.map((s) => s.bounced)).toEqual([0, 1]);
  });

  it("a token naming another contact's message credits nothing", async () => {
    const a = await sendAll();
    const b = await sendAll();
    const { unsubscribeContact } = await import("../../lib/contacts/unsubscribe");
    await unsubscribeContact(db, { contactId: b.contact.id, messageRef: a.sends[0].id, source: "one_click" });
    expect((await getSequenceAnalytics(db, a.sequence.id)).total.unsubscribed).toBe(0);
    expect((await getSequenceAnalytics(db, b.sequence.id)).total.unsubscribed).toBe(0);
  });
});

describe("the date range", () => {
  it("counts what happened on the days in the range", async () => {
    const { sequence, messages } = await sendAll();
    advance(2 * 86_400_000);
    await get(click, tokenOf(trackedLinks(messages[0].html)[0]));
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const sentDay = "2026-06-01";
    expect((await getSequenceAnalytics(db, sequence.id, { from: sentDay, to: sentDay })).steps[0]).toMatchObject({ sent: 1, clicked: 0 });
    expect((await getSequenceAnalytics(db, sequence.id, { from: day(at), to: day(at) })).steps[0]).toMatchObject({ sent: 0, clicked: 1 });
    expect((await getSequenceAnalytics(db, sequence.id)).steps[0]).toMatchObject({ sent: 1, clicked: 1 });
  });
});

describe("the sequences list's rate columns", () => {
  it("reply and unsubscribe rates from the counters, sorted with sequences that delivered nothing last", async () => {
    const replied = await sendAll();
    await recordInboundReply(db, { from: replied.contact.email, subject: "Re", inReplyTo: `<${replied.sends[0].messageId}>` }, { provider: "generic" });
    const quiet = await sendAll();
    const unsubscribed = await sendAll();
    const { unsubscribeContact } = await import("../../lib/contacts/unsubscribe");
    await unsubscribeContact(db, { contactId: unsubscribed.contact.id, messageRef: unsubscribed.sends[0].id, source: "one_click" });
    const empty = await makeSequence(db);
    const rates = await getSequenceRates(db, [replied.sequence.id, quiet.sequence.id, unsubscribed.sequence.id, empty.id]);
    expect(rates.get(replied.sequence.id)).toMatchObject({ delivered: 1, replyRate: 1, unsubscribeRate: 0 });
    expect(rates.get(unsubscribed.sequence.id)).toMatchObject({ delivered: 1, replyRate: 0, unsubscribeRate: 1, active: 0 });
    expect(rates.get(empty.id)).toMatchObject({ delivered: 0, replyRate: null, unsubscribeRate: null });
    const idsSortedBy = async (order: { sort: "replyRate" | "unsubscribeRate"; dir: "asc" | "desc" }) =>
      (await sequenceListPage(db, { page: 1 }, order)).items.map((item) => item.id);
    const byReply = await idsSortedBy({ sort: "replyRate", dir: "desc" });
    expect(byReply[0]).toBe(replied.sequence.id);
    expect(byReply.at(-1)).toBe(empty.id);
    const byUnsubscribeAsc = await idsSortedBy({ sort: "unsubscribeRate", dir: "asc" });
    expect(byUnsubscribeAsc.indexOf(unsubscribed.sequence.id)).toBe(2);
    expect(byUnsubscribeAsc.at(-1)).toBe(empty.id);
  });
});
