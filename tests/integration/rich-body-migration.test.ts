/**
 * The migration to editor documents (20261206115412_rich_step_bodies):
 * every plain-text body, in the steps and in unpublished drafts, becomes the
 * document plainTextToDoc makes, and the message reads as before.
 */
import fs from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { parseStoredDoc, plainTextToDoc } from "../../lib/email/body-doc";
import { footerText } from "../../lib/email/layout";
import { applyMergeTags } from "../../lib/email/merge-tags";
import { renderStepMessage } from "../../lib/email/render";
import { resetDb, testDb } from "../support/db";
import { makeSequence } from "../support/factories";
import { testDatabaseUrl } from "../support/database-url";

process.env.DATABASE_URL ??= testDatabaseUrl();
const db = testDb();
beforeEach(() => resetDb());

const SQL = fs.readFileSync("prisma/migrations/20261206115412_rich_step_bodies/migration.sql", "utf8");
const contact = { email: "ada@example.com", firstName: "Ada", lastName: null, attributes: { company: "Analytical Engines" } };
const footer = { senderName: "Acme", unsubscribeUrl: "https://app.example/unsubscribe/t", postalAddress: "1 Example St" };

const OLD_BODIES = [
  "Hi {{firstName|there}},\n\nWe met at {{company}}.\nSee https://acme.example/x?a=1&b=2.\n\n-- \nAda",
  "<b>Not bold</b> & \"quotes\" 'too' {{a b}} {{plan|free}}",
  "Windows\r\nline ends\r\n\r\nand a trailing newline\n",
  "\n\nStarts with a blank line",
  "",
];

function render(body: string) {
  return renderStepMessage({ subject: "s", body, contact, unsubscribeUrl: footer.unsubscribeUrl, oneClickUrl: "https://app.example/api/unsubscribe/t", postalAddress: footer.postalAddress, senderName: footer.senderName });
}

/** The text part exactly as the renderer made it from a plain-text body before the editor. */
function oldText(body: string): string {
  return `${applyMergeTags(body, contact).replace(/\r\n?/g, "\n")}\n\n${footerText(footer)}\n`;
}

describe("migrating plain-text bodies to documents", () => {
  it("converts steps and draft steps as plainTextToDoc does, and each renders the same text and HTML as before", async () => {
    const sequence = await makeSequence(db, { steps: OLD_BODIES.map((body, i) => ({ subject: `S${i}`, body, delayAmount: 0, delayUnit: "minutes" as const })) });
    const rows = await db.sequenceStep.findMany({ where: { sequenceId: sequence.id }, orderBy: { position: "asc" } });
    const draftSteps = rows.map((r) => ({ id: r.id, position: r.position, createdAt: 0, delayAmount: 0, delayUnit: "minutes", waitUntil: null, deleted: false, subject: r.subject, body: `${r.body} (draft)`, added: false }));
    await db.sequence.update({ where: { id: sequence.id }, data: { draft: { baseVersion: 1, steps: draftSteps, updatedAt: "2026-12-06T00:00:00.000Z", updatedBy: null } } });
    const before = OLD_BODIES.map((body) => render(body));

    await db.$executeRawUnsafe(SQL);

    const migrated = await db.sequenceStep.findMany({ where: { sequenceId: sequence.id }, orderBy: { position: "asc" } });
    for (const [i, row] of migrated.entries()) {
      expect(parseStoredDoc(row.body)).toEqual(plainTextToDoc(OLD_BODIES[i]));
      const after = render(row.body);
      expect(after.text).toBe(oldText(OLD_BODIES[i]));
      expect(after.html).toBe(before[i].html);
    }
    const draft = (await db.sequence.findUniqueOrThrow({ where: { id: sequence.id } })).draft as { steps: { body: string; subject: string }[] };
    expect(draft.steps.map((s) => parseStoredDoc(s.body))).toEqual(OLD_BODIES.map((b) => plainTextToDoc(`${b} (draft)`)));
    expect(draft.steps.map((s) => s.subject)).toEqual(OLD_BODIES.map((_, i) => `S${i}`));

    // Documents are left alone: running it again changes no step.
    expect(await db.$executeRawUnsafe(SQL.slice(SQL.indexOf('UPDATE "SequenceStep"'), SQL.indexOf("-- Unpublished drafts")))).toBe(0);
  });

  it("joins three or more line ends into one blank line, the one change a reader can see", async () => {
    const sequence = await makeSequence(db, { steps: [{ subject: "s", body: "One\n\n\n\nTwo", delayAmount: 0, delayUnit: "minutes" }] });
    await db.$executeRawUnsafe(SQL);
    const row = await db.sequenceStep.findFirstOrThrow({ where: { sequenceId: sequence.id } });
    expect(render(row.body).text.startsWith("One\n\nTwo\n\n--")).toBe(true);
  });
});
