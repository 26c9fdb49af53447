import fc from "fast-check";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { parseStoredDoc } from "../../lib/email/body-doc";
import { TEST_UNSUBSCRIBE_TOKEN } from "../../lib/email/compose";
import { previewStep } from "../../lib/email/step-preview";
import { TEST_SEND_LIMIT } from "../../lib/email/test-send";
import { setTransport } from "../../lib/email/transports";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { sendStep } from "../../lib/sequences/run-step";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";
import { plannedSend } from "../support/plan";
import { testDatabaseUrl } from "../support/database-url";

vi.mock("../../lib/auth/session", async () => ({
  requireUser: async () => ({ id: "user-1", email: "me@example.com", name: "Me", role: "marketer" }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
process.env.DATABASE_URL ??= testDatabaseUrl();
process.env.STEPWISE_SIGNING_SECRET ??= "authoring-test-secret-0123456789";

const db = testDb();
const events = recordEvents();
beforeEach(async () => {
  await resetDb();
  setTransport(null); // the mail catcher
});
afterAll(() => events.restore());

/** Text Postgres can store (no NUL) with the characters that matter to HTML, URLs and tags. */
const text = fc.string({ unit: fc.constantFrom(..."ab Z.:/@<>&\"'{}|\n\u00e9\u200B"), maxLength: 30 });
const KEYS = ["company", "Company", "plan", "city"];
const contactArb = fc.record({
  firstName: fc.option(text, { nil: null }),
  lastName: fc.option(text, { nil: null }),
  attributes: fc.dictionary(fc.constantFrom(...KEYS), text, { maxKeys: 3 }),
});
const piece = fc.oneof(
  text,
  fc.constantFrom("{{firstName}}", "{{LASTNAME|friend}}", "{{email}}", "{{company}}", "{{Plan|free}}", "{{city|}}", "https://acme.example/a?b=1&c=2", "\n\n"),
);
const template = fc.array(piece, { minLength: 1, maxLength: 8 }).map((parts) => parts.join(""));

/** Editor documents (lib/email/body-doc.ts): every block type, marks, links, tokens with and without fallbacks. */
const nonEmpty = text.filter((t) => t.length > 0);
const url = fc.constantFrom("https://acme.example/a?b=1&c=2", "http://acme.example/x", "mailto:help@acme.example");
const mark = fc.constantFrom({ type: "bold" }, { type: "italic" });
const inline = fc.oneof(
  fc.record({ type: fc.constant("text"), text: nonEmpty, marks: fc.array(mark, { maxLength: 2 }) }),
  url.chain((href) => fc.record({ type: fc.constant("text"), text: nonEmpty, marks: fc.constant([{ type: "link", attrs: { href } }]) })),
  fc.record({ type: fc.constant("mergeTag"), attrs: fc.record({ key: fc.constantFrom("firstName", "LASTNAME", "email", ...KEYS), fallback: fc.option(fc.constantFrom("there", "a & b", "<friend>"), { nil: null }) }) }),
  fc.constant({ type: "hardBreak" }),
);
const inlines = fc.array(inline, { maxLength: 5 });
const listItem = inlines.map((content) => ({ type: "listItem", content: [{ type: "paragraph", content }] }));
const block = fc.oneof(
  inlines.map((content) => ({ type: "paragraph", content })),
  fc.record({ type: fc.constant("heading"), attrs: fc.record({ level: fc.constantFrom(1, 2, 3) }), content: inlines }),
  fc.record({ type: fc.constantFrom("bulletList", "orderedList"), content: fc.array(listItem, { minLength: 1, maxLength: 3 }) }),
  fc.record({ type: fc.constant("button"), attrs: fc.record({ href: url.filter((u) => !u.startsWith("mailto")), label: fc.constantFrom("Book a call", "Hi {{firstName|there}}", "<b>Go</b> & see") }) }),
  fc.record({ type: fc.constant("image"), attrs: fc.record({ src: fc.constant("https://acme.example/i.png"), alt: fc.constantFrom("", "Logo", "a \"quoted\" <alt>") }) }),
);
const editorBody = fc.array(block, { minLength: 1, maxLength: 5 }).map((content) => JSON.stringify({ type: "doc", content }));

describe("preview as a contact", () => {
  it("is, for random contacts and templates (plain text and editor documents), exactly the message delivered to that contact (but for the unsubscribe token)", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(contactArb, template, fc.oneof(template, editorBody), async (c, subject, body) => {
        n++;
        // An editor document must be read as one, not fall back to plain text.
        if (body.startsWith('{"type":"doc"')) expect(parseStoredDoc(body)).not.toBeNull();
        const contact = await makeContact(db, { email: `p${n}-${Date.now()}@example.com`, ...c });
        const sequence = await makeSequence(db, { steps: [{ subject, body, delayAmount: 0, delayUnit: "minutes" }] });
        // Tracking rewrites the delivered links and adds the pixel after composing (tests/integration/tracking.test.ts);
        // with it off, what is delivered is exactly what was composed.
        await db.sequence.update({ where: { id: sequence.id }, data: { trackingEnabled: false } });
        const enrolled = await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
        if (enrolled.outcome !== "enrolled") throw new Error(enrolled.outcome);
        expect(await sendStep(db, await plannedSend(db, enrolled.enrollmentId))).toMatchObject({ outcome: "sent" });
        const sent = await db.caughtMessage.findFirstOrThrow({ where: { enrollmentId: enrolled.enrollmentId } });
        const token = /\/api\/unsubscribe\/([^>]+)>/.exec((sent.headers as Record<string, string>)["List-Unsubscribe"])![1];
        const inert = (s: string) => s.split(token).join(TEST_UNSUBSCRIBE_TOKEN);

        const { contact: shown, message } = await previewStep(db, { subject, body, contactId: contact.id });
        expect(shown.id).toBe(contact.id);
        expect(message.subject).toBe(sent.subject);
        expect(message.text).toBe(inert(sent.text));
        expect(message.html).toBe(inert(sent.html));
      }),
      { numRuns: 30 },
    );
  }, 120_000);

  it("renders for a sample contact when none is chosen and no contact has a name, and refuses a deleted contact", async () => {
    const preview = await previewStep(db, { subject: "Hi {{firstName}}", body: "At {{company}}" });
    expect(preview.contact).toEqual({ id: null, label: "Ada Lovelace <ada@example.com>" });
    expect(preview.message.text).toContain("At Analytical Engines Ltd");
    expect(preview.message.html).toContain(`/unsubscribe/${TEST_UNSUBSCRIBE_TOKEN}"`);
    const gone = await makeContact(db, { deletedAt: new Date() });
    await expect(previewStep(db, { subject: "s", body: "b", contactId: gone.id })).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("send a test to me", () => {
  it("delivers the step rendered for the chosen contact to the signed-in user only, with an inert unsubscribe link, and records nothing else", async () => {
    const { sendTestStepAction } = await import("../../lib/actions/authoring/send-test-step-action");
    const contact = await makeContact(db, { email: "grace@example.com", firstName: "Grace", attributes: { company: "Navy" } });
    await makeSequence(db);
    const before = { enrollments: await db.enrollment.count(), sends: await db.stepSend.count(), events: await db.enrollmentEvent.count() };

    const result = await sendTestStepAction({ subject: "Hi {{firstName}}", body: "Hello from {{Company}}: https://acme.example/x", contactId: contact.id });
    expect(result).toEqual({ ok: true, data: { to: "me@example.com", subject: "[Test] Hi Grace" } });

    const caught = await db.caughtMessage.findMany();
    expect(caught).toHaveLength(1);
    expect(caught[0]).toMatchObject({ toAddress: "me@example.com", subject: "[Test] Hi Grace", contactId: null, enrollmentId: null, stepId: null });
    expect(caught[0].text).toContain("Hello from Navy: https://acme.example/x");
    expect(caught[0].html).toContain('<a href="https://acme.example/x"');
    expect(caught[0].text).toContain(`/unsubscribe/${TEST_UNSUBSCRIBE_TOKEN}\n`);
    expect(caught[0].headers).toMatchObject({ "List-Unsubscribe": `<http://localhost:3000/api/unsubscribe/${TEST_UNSUBSCRIBE_TOKEN}>` });
    expect({ enrollments: await db.enrollment.count(), sends: await db.stepSend.count(), events: await db.enrollmentEvent.count() }).toEqual(before);
    expect(await db.consentEvent.count()).toBe(0);
  });

  it("refuses an unknown tag, and more than the rate limit, sending nothing then", async () => {
    const { sendTestStepAction } = await import("../../lib/actions/authoring/send-test-step-action");
    expect(await sendTestStepAction({ subject: "Hi {{plan}}", body: "b" })).toMatchObject({ ok: false, code: "validation", fieldErrors: { subject: [expect.stringContaining('"plan"')] } });
    for (let i = 0; i < TEST_SEND_LIMIT.limit; i++) expect(await sendTestStepAction({ subject: `Try ${i}`, body: "b" })).toMatchObject({ ok: true });
    expect(await sendTestStepAction({ subject: "One more", body: "b" })).toMatchObject({ ok: false, code: "rate_limited" });
    expect(await db.caughtMessage.count()).toBe(TEST_SEND_LIMIT.limit);
  });
});
