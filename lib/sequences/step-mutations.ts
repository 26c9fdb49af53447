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
import { assertEditable, lockSequence } from "./sequence-lock";

const STEP_NOT_FOUND = "That step no longer exists. Reload the page.";

/** Appends a step after the sequence's last live step. */
export async function addStep(db: Db, input: TAddStep): Promise<{ id: string; position: number }> {
  const { sequenceId, ...step } = parseOrThrow(ZAddStep, input);
  return db.$transaction(async (tx) => {
    assertEditable((await lockSequence(tx, sequenceId)).status);
    const last = await tx.sequenceStep.aggregate({ where: { sequenceId, deletedAt: null }, _max: { position: true } });
    const position = (last._max.position ?? -1) + 1;
    return tx.sequenceStep.create({ data: { sequenceId, position, ...step }, select: { id: true, position: true } });
  });
}

/**
 * Changes a step's delay, subject or body. Contacts who have not received
 * it yet get the new version; runs already asleep until it keep the due
 * time they planned with.
 */
export async function updateStep(db: Db, input: TUpdateStep): Promise<{ id: string }> {
  const { sequenceId, stepId, ...step } = parseOrThrow(ZUpdateStep, input);
  return db.$transaction(async (tx) => {
    assertEditable((await lockSequence(tx, sequenceId)).status);
    const { count } = await tx.sequenceStep.updateMany({ where: { id: stepId, sequenceId, deletedAt: null }, data: step });
    if (count === 0) throw new AppError("not_found", STEP_NOT_FOUND);
    return { id: stepId };
  });
}

/**
 * Soft-deletes a step: send records and events keep pointing at it, and
 * contacts who have not received it skip it. An active sequence keeps at
 * least one step.
 */
export async function deleteStep(db: Db, input: TStepRef): Promise<{ id: string }> {
  const { sequenceId, stepId } = parseOrThrow(ZStepRef, input);
  return db.$transaction(async (tx) => {
    const { status } = await lockSequence(tx, sequenceId);
    assertEditable(status);
    const live = await tx.sequenceStep.findMany({ where: { sequenceId, deletedAt: null }, select: { id: true } });
    if (!live.some((s) => s.id === stepId)) throw new AppError("not_found", STEP_NOT_FOUND);
    if (status === "active" && live.length === 1) {
      throw new AppError("conflict", "An active sequence needs at least one step. Add another step first, or pause the sequence.");
    }
    await tx.sequenceStep.update({ where: { id: stepId }, data: { deletedAt: now() } });
    return { id: stepId };
  });
}

/**
 * Puts the sequence's live steps in the given order (positions 0..n-1), in
 * one statement. `stepIds` must be exactly the live steps: a list built from
 * a stale page is refused rather than half applied. Contacts who have not
 * reached the moved steps receive them in the new order.
 */
export async function reorderSteps(db: Db, input: TReorderSteps): Promise<{ stepIds: string[] }> {
  const { sequenceId, stepIds } = parseOrThrow(ZReorderSteps, input);
  return db.$transaction(async (tx) => {
    assertEditable((await lockSequence(tx, sequenceId)).status);
    const live = await tx.sequenceStep.findMany({ where: { sequenceId, deletedAt: null }, select: { id: true } });
    const liveIds = new Set(live.map((s) => s.id));
    if (live.length !== stepIds.length || !stepIds.every((id) => liveIds.has(id))) {
      throw new AppError("conflict", "The steps changed since this page was loaded. Reload and try again.");
    }
    await tx.$executeRaw`
      UPDATE "SequenceStep" AS s
      SET "position" = (v.ord - 1)::int, "updatedAt" = ${now()}
      FROM unnest(${stepIds}::text[]) WITH ORDINALITY AS v(id, ord)
      WHERE s."id" = v.id AND s."sequenceId" = ${sequenceId}`;
    return { stepIds };
  });
}
