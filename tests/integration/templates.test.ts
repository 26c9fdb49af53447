/**
 * Step templates and snippets: saved like a step (sanitized body, unknown
 * merge tags refused), listed and searched, renamed and deleted; a step
 * started from a template is a copy of it.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { parseStoredDoc } from "../../lib/email/body-doc";
import { resetDb, testDb } from "../support/db";
import { makeContact, makeSequence } from "../support/factories";
import { testDatabaseUrl } from "../support/database-url";

vi.mock("../../lib/auth/session", async () => ({
  requireUser: async () => ({ id: "user-1", email: "me@example.com", name: "Me", role: "marketer" }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
process.env.DATABASE_URL ??= testDatabaseUrl();

const db = testDb();
beforeEach(async () => {
  await resetDb();
  await makeContact(db, { firstName: "Grace", attributes: { Company: "Navy" } });
});

const doc = (text: string, extra: unknown[] = []) => JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }, ...extra] });
const button = { type: "button", attrs: { href: "https://acme.example/book", label: "Book a call" } };

describe("step templates", () => {
  it("saves a step as a template (sanitized, tags as tokens) and a new step started from it is a copy", async () => {
    const { saveTemplateAction } = await import("../../lib/actions/templates/save-template-action");
    const { listTemplatesAction } = await import("../../lib/actions/templates/list-templates-action");
    const { addStepAction } = await import("../../lib/actions/sequences/add-step-action");
    const saved = await saveTemplateAction({ name: " Welcome ", subject: "Hi {{firstName|there}}", body: doc("Hello {{company}}", [button]) });
    expect(saved).toMatchObject({ ok: true });

    const listed = await listTemplatesAction({ query: "welc" });
    if (!listed.ok) throw new Error(listed.message);
    expect(listed.data.map((t) => t.name)).toEqual(["Welcome"]);
    const template = listed.data[0];
    expect(parseStoredDoc(template.body)?.content[0]).toEqual({
      type: "paragraph",
      content: [{ type: "text", text: "Hello " }, { type: "mergeTag", attrs: { key: "company", fallback: null } }],
    });
    expect(await listTemplatesAction({ query: "nothing like it" })).toEqual({ ok: true, data: [] });

    // "Start from template" fills the form; saving the step stores that copy.
    const sequence = await makeSequence(db, { status: "draft", steps: [] });
    const added = await addStepAction({ sequenceId: sequence.id, subject: template.subject, body: template.body, delayAmount: 0, delayUnit: "minutes" });
    if (!added.ok) throw new Error(added.message);
    const step = await db.sequenceStep.findUniqueOrThrow({ where: { id: added.data.id } });
    expect({ subject: step.subject, body: step.body }).toEqual({ subject: template.subject, body: template.body });
    // Deleting the template leaves the step as it is.
    const { deleteTemplateAction } = await import("../../lib/actions/templates/delete-template-action");
    expect(await deleteTemplateAction({ id: template.id })).toMatchObject({ ok: true });
    expect(await db.stepTemplate.count()).toBe(0);
    expect((await db.sequenceStep.findUniqueOrThrow({ where: { id: step.id } })).body).toBe(template.body);
  });

  it("refuses an unknown merge tag like a step does, naming it on its field, and saves nothing", async () => {
    const { saveTemplateAction } = await import("../../lib/actions/templates/save-template-action");
    const refused = await saveTemplateAction({ name: "Bad", subject: "Your {{plan}}", body: doc("Hi {{firstname}} {{cmpany}}") });
    expect(refused).toMatchObject({
      ok: false,
      code: "validation",
      fieldErrors: { subject: [expect.stringContaining('"plan"')], body: [expect.stringContaining('"cmpany"')] },
    });
    expect(await db.stepTemplate.count()).toBe(0);
  });

  it("refuses a javascript: link and a name taken in any case; renames", async () => {
    const { saveTemplateAction } = await import("../../lib/actions/templates/save-template-action");
    const { renameTemplateAction } = await import("../../lib/actions/templates/rename-template-action");
    const evil = JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "x", marks: [{ type: "link", attrs: { href: "javascript:alert(1)" } }] }] }] });
    expect(await saveTemplateAction({ name: "Evil", subject: "s", body: evil })).toMatchObject({ ok: false, fieldErrors: { body: [expect.stringContaining("address")] } });
    const first = await saveTemplateAction({ name: "Follow-up", subject: "s", body: "b" });
    const second = await saveTemplateAction({ name: "Nudge", subject: "s", body: "b" });
    if (!first.ok || !second.ok) throw new Error("setup");
    expect(await saveTemplateAction({ name: "FOLLOW-UP", subject: "s", body: "b" })).toMatchObject({ ok: false, code: "conflict", fieldErrors: { name: [expect.any(String)] } });
    expect(await renameTemplateAction({ id: second.data.id, name: "follow-up" })).toMatchObject({ ok: false, code: "conflict" });
    expect(await renameTemplateAction({ id: second.data.id, name: "Second nudge" })).toMatchObject({ ok: true });
    expect((await db.stepTemplate.findMany({ orderBy: { name: "asc" } })).map((t) => t.name)).toEqual(["Follow-up", "Second nudge"]);
  });
});

describe("snippets", () => {
  it("creates, lists by name, renames and deletes; an unknown tag is refused", async () => {
    const { createSnippetAction } = await import("../../lib/actions/templates/create-snippet-action");
    const { listSnippetsAction } = await import("../../lib/actions/templates/list-snippets-action");
    const { renameSnippetAction } = await import("../../lib/actions/templates/rename-snippet-action");
    const { deleteSnippetAction } = await import("../../lib/actions/templates/delete-snippet-action");
    expect(await createSnippetAction({ name: "Sig", body: doc("{{signature}}") })).toMatchObject({ ok: false, fieldErrors: { body: [expect.stringContaining('"signature"')] } });
    const created = await createSnippetAction({ name: "Signature", body: doc("Best, {{firstName|the team}} at {{COMPANY}}") });
    if (!created.ok) throw new Error(created.message);
    await createSnippetAction({ name: "Footer", body: "PS: reply any time" });
    const listed = await listSnippetsAction({ query: "sign" });
    expect(listed).toMatchObject({ ok: true, data: [{ name: "Signature" }] });
    expect(await renameSnippetAction({ id: created.data.id, name: "Sign-off" })).toMatchObject({ ok: true });
    expect(await deleteSnippetAction({ id: created.data.id })).toMatchObject({ ok: true });
    expect(await deleteSnippetAction({ id: created.data.id })).toMatchObject({ ok: false, code: "not_found" });
    expect((await db.snippet.findMany()).map((s) => s.name)).toEqual(["Footer"]);
  });
});
