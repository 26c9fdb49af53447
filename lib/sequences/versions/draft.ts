/**
 * A draft: the step list as it will be once published, for a sequence
 * contacts are in. Pure edits on a whole list (no database here); the list
 * is stored whole in Sequence.draft (draft-store.ts). Each step keeps its
 * id: a step added in the draft gets its id when added, so the preview, the
 * migration and the published rows all talk about the same step.
 */
import { z } from "zod";
import { DelayUnit } from "../../generated/prisma/enums";
import { AppError } from "../../errors";
import { inRunOrder, type VersionStep } from "./plan";

export type DraftStep = VersionStep & {
  subject: string;
  body: string;
  /** Added in this draft: no row exists yet (deleting it just drops it). */
  added: boolean;
};

export type StoredDraft = {
  /** The sequence version the draft was started from. */
  baseVersion: number;
  steps: DraftStep[];
  updatedAt: string;
  updatedBy: string | null;
};

const ZDraftStep = z.object({
  id: z.string(),
  position: z.number().int(),
  createdAt: z.number(),
  delayAmount: z.number().int(),
  delayUnit: z.enum(Object.values(DelayUnit) as [DelayUnit, ...DelayUnit[]]),
  waitUntil: z.string().nullable().optional(),
  deleted: z.boolean(),
  subject: z.string(),
  body: z.string(),
  added: z.boolean(),
});

/** How Sequence.draft is read back: anything else is treated as no draft. */
export const ZStoredDraft = z.object({
  baseVersion: z.number().int(),
  steps: z.array(ZDraftStep),
  updatedAt: z.string(),
  updatedBy: z.string().nullable(),
});

export type StepFields = Pick<DraftStep, "subject" | "body" | "delayAmount" | "delayUnit"> & { waitUntil?: string | null };

export const STEP_NOT_FOUND = "That step no longer exists. Reload the page.";
export const STALE_ORDER = "The steps changed since this page was loaded. Reload and try again.";
export const LAST_STEP = "An active sequence needs at least one step. Add another step first, or pause the sequence.";

/** The live steps in run order: what the builder shows and numbers. */
export function liveDraftSteps(steps: readonly DraftStep[]): DraftStep[] {
  return inRunOrder(steps).filter((s) => !s.deleted) as DraftStep[];
}

/** Appends a step after the last live one. */
export function draftAdd(steps: readonly DraftStep[], fields: StepFields, id: string, createdAt: number): DraftStep[] {
  const live = liveDraftSteps(steps);
  const position = (live.at(-1)?.position ?? -1) + 1;
  return [...steps, { id, position, createdAt, deleted: false, added: true, ...fields, waitUntil: fields.waitUntil ?? null }];
}

export function draftUpdate(steps: readonly DraftStep[], stepId: string, fields: StepFields): DraftStep[] {
  if (!steps.some((s) => s.id === stepId && !s.deleted)) throw new AppError("not_found", STEP_NOT_FOUND);
  // As the row update does: a field the edit leaves out (undefined) is kept.
  const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return steps.map((s) => (s.id === stepId ? { ...s, ...set } : s));
}

/** A step added in this draft disappears; a published one is soft-deleted. */
export function draftDelete(steps: readonly DraftStep[], stepId: string, sequenceStatus: string): DraftStep[] {
  const live = liveDraftSteps(steps);
  const target = live.find((s) => s.id === stepId);
  if (!target) throw new AppError("not_found", STEP_NOT_FOUND);
  if (sequenceStatus === "active" && live.length === 1) throw new AppError("conflict", LAST_STEP);
  return target.added ? steps.filter((s) => s.id !== stepId) : steps.map((s) => (s.id === stepId ? { ...s, deleted: true } : s));
}

/**
 * Puts the live steps in the given order (positions 0..n-1); deleted steps
 * keep their old positions, so "the step after a deleted one" keeps a meaning
 * as in the live rows. A list that is not exactly the live steps is refused.
 */
export function draftReorder(steps: readonly DraftStep[], stepIds: readonly string[]): DraftStep[] {
  const live = new Set(liveDraftSteps(steps).map((s) => s.id));
  if (live.size !== stepIds.length || !stepIds.every((id) => live.has(id))) throw new AppError("conflict", STALE_ORDER);
  const order = new Map(stepIds.map((id, i) => [id, i]));
  return steps.map((s) => (order.has(s.id) ? { ...s, position: order.get(s.id)! } : s));
}
