import { now } from "../clock";
import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import { parseOrThrow } from "../validations/parse";
import {
  ZAddStep,
  ZReorderSteps,
  ZStepRef,
  ZUpdateStep,
  type TAddStep,
  type TReorderSteps,
  type TStepRef,
  type TUpdateStep,
} from "../validations/sequence";
import { publishEvents } from "../events/publish";
import type { Tx } from "../db/prisma";
import { assertEditable, lockSequence } from "./sequence-lock";
import { randomUUID } from "node:crypto";
import { draftAdd, draftDelete, draftReorder, draftUpdate, LAST_STEP, STALE_ORDER, STEP_NOT_FOUND, type DraftStep } from "./versions/draft";
import { hasLiveEnrollments, readDraft, saveDraft, startDraft } from "./versions/draft-store";
import { loadSteps } from "./versions/load";
import { publishVersion, sequencePublishedEvent } from "./versions/publish";

/** Who made an edit, for the version history. */
export type EditActor = { publishedBy?: string | null };

/** How one edit applies: to the rows (nobody enrolled), or to the draft's step list. */
type StepEdit<T> = {
  inPlace: (tx: Tx, status: string) => Promise<{ result: T; summary: string }>;
  draft: (steps: DraftStep[], status: string) => { steps: DraftStep[]; result: T };
};

/**
 * Runs a step edit under the sequence's lock. A sequence with a draft, or
 * with contacts in it (active or paused), is edited in its draft: the live
 * steps keep running unchanged until Publish (lib/sequences/versions). A
 * sequence nobody is in is edited in place; should someone have been
 * enrolled meanwhile, the edit is published for them as a version.
 */
async function editSteps<T>(db: Db, sequenceId: string, actor: EditActor, edit: StepEdit<T>): Promise<T & { draft: boolean }> {
  const { result, published, draft } = await db.$transaction(async (tx) => {
    const { status } = await lockSequence(tx, sequenceId);
    assertEditable(status);
    const existing = await readDraft(tx, sequenceId);
    if (existing || (await hasLiveEnrollments(tx, sequenceId))) {
      const base = existing ?? (await startDraft(tx, sequenceId));
      const { steps, result } = edit.draft(base.steps, status);
      await saveDraft(tx, sequenceId, { ...base, steps, updatedAt: now().toISOString(), updatedBy: actor.publishedBy ?? null });
      return { result, published: null, draft: true };
    }
    const before = await loadSteps(tx, sequenceId);
    const { result, summary } = await edit.inPlace(tx, status);
    return { result, published: await publishVersion(tx, { sequenceId, before, summary, publishedBy: actor.publishedBy }), draft: false };
  });
  if (published) await publishEvents([sequencePublishedEvent(sequenceId, published.version)]);
  return { ...result, draft };
}

/** Appends a step after the sequence's last live step. */
export async function addStep(db: Db, input: TAddStep, actor: EditActor = {}): Promise<{ id: string; position: number; draft: boolean }> {
  const { sequenceId, ...step } = parseOrThrow(ZAddStep, input);
  return editSteps(db, sequenceId, actor, {
    inPlace: async (tx) => {
      const last = await tx.sequenceStep.aggregate({ where: { sequenceId, deletedAt: null }, _max: { position: true } });
      const position = (last._max.position ?? -1) + 1;
      const created = await tx.sequenceStep.create({ data: { sequenceId, position, ...step }, select: { id: true, position: true } });
      return { result: created, summary: `Added step ${position + 1}` };
    },
    draft: (steps) => {
      const id = randomUUID();
      const next = draftAdd(steps, step, id, now().getTime());
      return { steps: next, result: { id, position: next.at(-1)!.position } };
    },
  });
}

/**
 * Changes a step's delay, subject or body. Contacts who have not received
 * it yet get the new text; contacts waiting on it have their due time
 * recomputed from the same anchor (their last send), and their runs wake.
 */
export async function updateStep(db: Db, input: TUpdateStep, actor: EditActor = {}): Promise<{ id: string; draft: boolean }> {
  const { sequenceId, stepId, ...step } = parseOrThrow(ZUpdateStep, input);
  return editSteps(db, sequenceId, actor, {
    inPlace: async (tx) => {
      const { count } = await tx.sequenceStep.updateMany({ where: { id: stepId, sequenceId, deletedAt: null }, data: step });
      if (count === 0) throw new AppError("not_found", STEP_NOT_FOUND);
      return { result: { id: stepId }, summary: "Edited a step" };
    },
    draft: (steps) => ({ steps: draftUpdate(steps, stepId, step), result: { id: stepId } }),
  });
}

/**
 * Soft-deletes a step: send records and events keep pointing at it, and
 * contacts who have not received it skip it; contacts waiting on it move to
 * the next step. An active sequence keeps at least one step.
 */
export async function deleteStep(db: Db, input: TStepRef, actor: EditActor = {}): Promise<{ id: string; draft: boolean }> {
  const { sequenceId, stepId } = parseOrThrow(ZStepRef, input);
  return editSteps(db, sequenceId, actor, {
    inPlace: async (tx, status) => {
      const live = await tx.sequenceStep.findMany({ where: { sequenceId, deletedAt: null }, select: { id: true } });
      if (!live.some((s) => s.id === stepId)) throw new AppError("not_found", STEP_NOT_FOUND);
      if (status === "active" && live.length === 1) throw new AppError("conflict", LAST_STEP);
      await tx.sequenceStep.update({ where: { id: stepId }, data: { deletedAt: now() } });
      return { result: { id: stepId }, summary: "Deleted a step" };
    },
    draft: (steps, status) => ({ steps: draftDelete(steps, stepId, status), result: { id: stepId } }),
  });
}

/**
 * Puts the sequence's live steps in the given order (positions 0..n-1), in
 * one statement. `stepIds` must be exactly the live steps: a list built from
 * a stale page is refused rather than half applied. Contacts keep the step
 * they wait on; unsent steps after it follow the new order, and a step
 * moved before it is not sent to them (recorded as passed).
 */
export async function reorderSteps(db: Db, input: TReorderSteps, actor: EditActor = {}): Promise<{ stepIds: string[]; draft: boolean }> {
  const { sequenceId, stepIds } = parseOrThrow(ZReorderSteps, input);
  return editSteps(db, sequenceId, actor, {
    inPlace: async (tx) => {
      const live = await tx.sequenceStep.findMany({ where: { sequenceId, deletedAt: null }, select: { id: true } });
      const liveIds = new Set(live.map((s) => s.id));
      if (live.length !== stepIds.length || !stepIds.every((id) => liveIds.has(id))) throw new AppError("conflict", STALE_ORDER);
      await tx.$executeRaw`
        UPDATE "SequenceStep" AS s
        SET "position" = (v.ord - 1)::int, "updatedAt" = ${now()}
        FROM unnest(${stepIds}::text[]) WITH ORDINALITY AS v(id, ord)
        WHERE s."id" = v.id AND s."sequenceId" = ${sequenceId}`;
      return { result: { stepIds }, summary: "Reordered the steps" };
    },
    draft: (steps) => ({ steps: draftReorder(steps, stepIds), result: { stepIds } }),
  });
}
