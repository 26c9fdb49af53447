import "server-only";
/**
 * Step templates and snippets (docs/authoring.md, "Templates and
 * snippets"). Both are saved like a step: the body sanitized by the input
 * schema, and a template's or snippet's unknown merge tags refused with a
 * field error. Names are unique whatever their case.
 */
import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import { assertMergeTagsKnown } from "../email/merge-tag-check";
import type { TCreateSnippet, TListTemplates, TRename, TSaveTemplate, TTemplateRef } from "../validations/templates";

export type Kind = "template" | "snippet";

const WORD: Record<Kind, string> = { template: "template", snippet: "snippet" };
const GONE: Record<Kind, string> = { template: "That template no longer exists.", snippet: "That snippet no longer exists." };

type Table = {
  findFirst(args: unknown): Promise<{ id: string } | null>;
  create(args: unknown): Promise<{ id: string }>;
  update(args: unknown): Promise<{ id: string }>;
  delete(args: unknown): Promise<{ id: string }>;
  findMany(args: unknown): Promise<unknown[]>;
};

function table(db: Db, kind: Kind): Table {
  return (kind === "template" ? db.stepTemplate : db.snippet) as unknown as Table;
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "P2002";
}

async function assertNameFree(db: Db, kind: Kind, name: string, exceptId?: string): Promise<void> {
  const clash = await table(db, kind).findFirst({ where: { name: { equals: name, mode: "insensitive" }, ...(exceptId ? { id: { not: exceptId } } : {}) }, select: { id: true } });
  if (clash) throw new AppError("conflict", `A ${WORD[kind]} with that name exists.`, { name: [`A ${WORD[kind]} named "${name}" exists. Pick another name.`] });
}

/** The name taken meanwhile (two saves at once): the same field error as the check before. */
async function named<T>(kind: Kind, name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("conflict", `A ${WORD[kind]} with that name exists.`, { name: [`A ${WORD[kind]} named "${name}" exists. Pick another name.`] });
    throw error;
  }
}

export async function saveTemplate(db: Db, input: TSaveTemplate, createdBy: string): Promise<{ id: string }> {
  await assertMergeTagsKnown(db, { subject: input.subject, body: input.body });
  await assertNameFree(db, "template", input.name);
  return named("template", input.name, () => db.$transaction((tx) => tx.stepTemplate.create({ data: { ...input, createdBy }, select: { id: true } })));
}

export async function createSnippet(db: Db, input: TCreateSnippet, createdBy: string): Promise<{ id: string }> {
  await assertMergeTagsKnown(db, { subject: "", body: input.body });
  await assertNameFree(db, "snippet", input.name);
  return named("snippet", input.name, () => db.$transaction((tx) => tx.snippet.create({ data: { ...input, createdBy }, select: { id: true } })));
}

export async function renameTemplateOrSnippet(db: Db, kind: Kind, input: TRename): Promise<void> {
  await assertNameFree(db, kind, input.name, input.id);
  await named(kind, input.name, () =>
    db.$transaction(async (tx) => {
      const found = await table(tx as Db, kind).findFirst({ where: { id: input.id }, select: { id: true } });
      if (!found) throw new AppError("not_found", GONE[kind]);
      await table(tx as Db, kind).update({ where: { id: input.id }, data: { name: input.name } });
    }),
  );
}

export async function deleteTemplateOrSnippet(db: Db, kind: Kind, input: TTemplateRef): Promise<void> {
  await db.$transaction(async (tx) => {
    const found = await table(tx as Db, kind).findFirst({ where: { id: input.id }, select: { id: true } });
    if (!found) throw new AppError("not_found", GONE[kind]);
    await table(tx as Db, kind).delete({ where: { id: input.id } });
  });
}

export type TemplateSummary = { id: string; name: string; subject: string; body: string; updatedAt: Date };
export type SnippetSummary = { id: string; name: string; body: string; updatedAt: Date };

/** Templates whose name or subject contains `query`, by name. */
export async function listTemplates(db: Db, { query }: TListTemplates): Promise<TemplateSummary[]> {
  const where = query ? { OR: [{ name: { contains: query, mode: "insensitive" as const } }, { subject: { contains: query, mode: "insensitive" as const } }] } : {};
  return db.stepTemplate.findMany({ where, orderBy: { name: "asc" }, take: 200, select: { id: true, name: true, subject: true, body: true, updatedAt: true } });
}

/** Snippets whose name contains `query`, by name. */
export async function listSnippets(db: Db, { query }: TListTemplates): Promise<SnippetSummary[]> {
  const where = query ? { name: { contains: query, mode: "insensitive" as const } } : {};
  return db.snippet.findMany({ where, orderBy: { name: "asc" }, take: 200, select: { id: true, name: true, body: true, updatedAt: true } });
}
