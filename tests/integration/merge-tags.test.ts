import fs from "node:fs";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { parseCsv } from "../../lib/contacts/csv";
import { importContacts } from "../../lib/contacts/import";
import { listAttributeKeys } from "../../lib/email/attribute-keys";
import { activateSequence } from "../../lib/sequences/status-transitions";
import { guessImportColumn, type TImportMapping } from "../../lib/validations/contact-import";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";
import { testDatabaseUrl } from "../support/database-url";

const session = vi.hoisted(() => ({ role: "marketer" as "viewer" | "marketer" }));
vi.mock("../../lib/auth/session", async () => {
  const { AppError } = await import("../../lib/errors");
  const { hasRole } = await import("../../lib/auth/roles");
  return {
    requireUser: async (role: "viewer" | "marketer" | "admin" = "viewer") => {
      if (!hasRole(session.role, role)) throw new AppError("forbidden", "You do not have permission to do that.");
      return { id: "u1", email: "u@example.com", name: "U", role: session.role };
    },
  };
});
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
process.env.DATABASE_URL ??= testDatabaseUrl();

const db = testDb();
recordEvents();
beforeEach(() => resetDb());

const attributesOf = async (email: string) => (await db.contact.findFirstOrThrow({ where: { email } })).attributes;

describe("attribute keys are canonical", () => {
  it("the importer writes a header into the existing key whatever its case, never a near-duplicate", async () => {
    await makeContact(db, { email: "old@example.com", attributes: { company: "Perlman Labs" } });
    const [header, ...rows] = parseCsv("email,Company,COMPANY_SIZE\nnew@example.com,Acme,12\nold@example.com,Perlman Labs,3\n");
    const mapping = header.values.map(guessImportColumn) as TImportMapping;
    expect(mapping[1]).toEqual({ target: "attribute", attributeKey: "Company" });

    const result = await importContacts(db, { rows, mapping, fireTriggers: false });
    expect(result).toMatchObject({ imported: 1, updated: 1, failed: [] });
    expect(await attributesOf("new@example.com")).toEqual({ company: "Acme", COMPANY_SIZE: "12" });
    expect(await attributesOf("old@example.com")).toEqual({ company: "Perlman Labs", COMPANY_SIZE: "3" });
    expect(await listAttributeKeys(db)).toEqual([
      { key: "company", contacts: 2 },
      { key: "COMPANY_SIZE", contacts: 2 },
    ]);
  });

  it("an import mapping two columns to one key in different cases is refused", async () => {
    const [header, ...rows] = parseCsv("email,Company,company\na@example.com,A,B\n");
    const mapping = header.values.map(guessImportColumn) as TImportMapping;
    await expect(importContacts(db, { rows, mapping, fireTriggers: false })).rejects.toMatchObject({
      code: "validation",
      fieldErrors: { "mapping.2.attributeKey": ["This attribute name is used twice"] },
    });
  });

  it("the migration merges near-duplicate keys into the spelling most contacts have, keeping a non-empty value", async () => {
    await makeContact(db, { email: "a@example.com", attributes: { company: "A Corp", plan: "pro" } });
    await makeContact(db, { email: "b@example.com", attributes: { company: "B Corp" } });
    await makeContact(db, { email: "c@example.com", attributes: { Company: "C Corp" } });
    await makeContact(db, { email: "d@example.com", attributes: { company: "", Company: "D later", COMPANY: "D Corp", Plan: "free" } });
    await makeContact(db, { email: "e@example.com", attributes: { Company: "E Corp", company: "e corp" } });
    const sql = fs.readFileSync("prisma/migrations/20261206081500_merge_attribute_key_case/migration.sql", "utf8");

    await db.$executeRawUnsafe(sql);
    expect(await attributesOf("a@example.com")).toEqual({ company: "A Corp", plan: "pro" });
    expect(await attributesOf("b@example.com")).toEqual({ company: "B Corp" });
    expect(await attributesOf("c@example.com")).toEqual({ company: "C Corp" });
    expect(await attributesOf("d@example.com")).toEqual({ company: "D Corp", plan: "free" });
    expect(await attributesOf("e@example.com")).toEqual({ company: "e corp" });
    // Running it again changes nothing.
    expect(await db.$executeRawUnsafe(sql)).toBe(0);
  });
});

describe("saving a step", () => {
  it("refuses an unknown or malformed tag as a field error and saves nothing; any case of a known key is fine", async () => {
    const { addStepAction } = await import("../../lib/actions/sequences/add-step-action");
    const { updateStepAction } = await import("../../lib/actions/sequences/update-step-action");
    await makeContact(db, { attributes: { Company: "Acme" } });
    const sequence = await makeSequence(db, { status: "draft" });
    const step = { sequenceId: sequence.id, delayAmount: 1, delayUnit: "days" as const };

    const refused = await addStepAction({ ...step, subject: "Last call: your {{plan}} and", body: "Hi {{firstname}} at {{ company }}, {{a b}}" });
    expect(refused).toEqual({
      ok: false,
      code: "validation",
      message: expect.any(String),
      fieldErrors: {
        subject: ['{{plan}}: no contact has an attribute "plan". Pick a tag from the list.'],
        body: [expect.stringMatching(/^\{\{a b\}\} is not a merge tag/)],
      },
    });
    expect(await db.sequenceStep.count({ where: { sequenceId: sequence.id } })).toBe(1);

    const saved = await addStepAction({ ...step, subject: "Hi {{FIRSTNAME|there}}", body: "At {{COMPANY}}, {{email}}" });
    expect(saved).toMatchObject({ ok: true });
    const edit = await updateStepAction({ ...step, stepId: sequence.steps[0].id, subject: "s", body: "{{plan|free}}" });
    expect(edit).toMatchObject({ ok: false, code: "validation", fieldErrors: { body: [expect.stringContaining('"plan"')] } });
    expect((await db.sequenceStep.findUniqueOrThrow({ where: { id: sequence.steps[0].id } })).body).toBe("Body of step 1");
  });
});

describe("activation", () => {
  it("names how many contacts lack a tag without a fallback, and activates only once that is acknowledged", async () => {
    for (let i = 0; i < 44; i++) {
      await makeContact(db, { firstName: i < 40 ? "Pat" : null, attributes: i < 32 ? { company: `Co ${i}` } : i < 36 ? { Company: " " } : {} });
    }
    await makeContact(db, { status: "unsubscribed", attributes: {} }); // not counted: cannot be enrolled
    const sequence = await makeSequence(db, {
      status: "draft",
      steps: [{ subject: "Hi {{firstName|there}}", body: "From {{company}}" }, { subject: "{{FirstName}}", body: "{{Company}} again, {{email}}" }],
    });

    const refused = activateSequence(db, { sequenceId: sequence.id, manualOnly: true });
    await expect(refused).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("12 of 44 have no company"),
      fieldErrors: { acknowledgeMissingValues: ["Step 1: 12 of 44 have no company", "Step 2: 4 of 44 have no FirstName", "Step 2: 12 of 44 have no Company"] },
    });
    expect((await db.sequence.findUniqueOrThrow({ where: { id: sequence.id } })).status).toBe("draft");

    await expect(activateSequence(db, { sequenceId: sequence.id, manualOnly: true, acknowledgeMissingValues: true })).resolves.toEqual({ status: "active" });
  });

  it("needs no acknowledgement when every tag has a fallback or every contact a value", async () => {
    await makeContact(db, { attributes: { company: "Acme" } });
    const sequence = await makeSequence(db, { status: "draft", steps: [{ subject: "Hi {{firstName}}", body: "{{plan|free}} at {{Company}}" }] });
    await expect(activateSequence(db, { sequenceId: sequence.id, manualOnly: true })).resolves.toEqual({ status: "active" });
  });
});
