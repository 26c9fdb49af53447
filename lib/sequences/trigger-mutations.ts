import { now } from "../clock";
import type { Db, Tx } from "../db/prisma";
import { AppError } from "../errors";
import { parseOrThrow } from "../validations/parse";
import { ZAddTrigger, ZTagName, ZTriggerRef, type TAddTrigger, type TNewTrigger, type TTriggerRef } from "../validations/sequence";
import { assertEditable, lockSequence } from "./sequence-lock";
import { ZTriggerInput, type TTriggerInput } from "./triggers";

/**
 * The tag with this name (matched case-insensitively), created when there is
 * none. Call it inside a transaction: it takes the same per-name advisory
 * lock as lib/contacts/tags.ts, so "VIP" and "vip" are never both created.
 */
export async function ensureTag(tx: Tx, name: string): Promise<{ id: string; name: string }> {
  const tagName = parseOrThrow(ZTagName, name);
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('tag:' || ${tagName.toLowerCase()}, 0))`;
  const existing = await tx.tag.findFirst({
    where: { name: { equals: tagName, mode: "insensitive" } },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true },
  });
  if (existing) return existing;
  return tx.tag.create({ data: { name: tagName, createdAt: now() }, select: { id: true, name: true } });
}

/**
 * Adds an entry trigger. A tag_added trigger names an existing tag by id,
 * or a tag by name (created if new). The same trigger twice is refused.
 */
export async function addTrigger(db: Db, input: TAddTrigger): Promise<{ id: string }> {
  const { sequenceId, trigger } = parseOrThrow(ZAddTrigger, input);
  return db.$transaction(async (tx) => {
    assertEditable((await lockSequence(tx, sequenceId)).status);
    const stored = parseOrThrow(ZTriggerInput, await resolveTrigger(tx, trigger));
    const data = columnsOf(stored);
    const duplicate = await tx.sequenceTrigger.findFirst({
      where: {
        sequenceId,
        type: data.type,
        tagId: data.tagId,
        scoreThreshold: data.scoreThreshold,
        signupSource: data.signupSource === null ? null : { equals: data.signupSource, mode: "insensitive" },
      },
      select: { id: true },
    });
    if (duplicate) throw new AppError("conflict", "This sequence already has that trigger.");
    return tx.sequenceTrigger.create({ data: { sequenceId, ...data }, select: { id: true } });
  });
}

/** Removes an entry trigger; contacts it enrolled stay enrolled. */
export async function removeTrigger(db: Db, input: TTriggerRef): Promise<{ id: string }> {
  const { sequenceId, triggerId } = parseOrThrow(ZTriggerRef, input);
  return db.$transaction(async (tx) => {
    assertEditable((await lockSequence(tx, sequenceId)).status);
    const { count } = await tx.sequenceTrigger.deleteMany({ where: { id: triggerId, sequenceId } });
    if (count === 0) throw new AppError("not_found", "That trigger no longer exists. Reload the page.");
    return { id: triggerId };
  });
}

async function resolveTrigger(tx: Tx, trigger: TNewTrigger): Promise<TTriggerInput> {
  if (trigger.type !== "tag_added") return trigger;
  if (trigger.tagId) {
    const tag = await tx.tag.findUnique({ where: { id: trigger.tagId }, select: { id: true } });
    if (!tag) throw new AppError("validation", "That tag no longer exists.", { "trigger.tagId": ["That tag no longer exists."] });
    return { type: "tag_added", tagId: tag.id };
  }
  const tag = await ensureTag(tx, trigger.tagName ?? "");
  return { type: "tag_added", tagId: tag.id };
}

function columnsOf(trigger: TTriggerInput) {
  return {
    type: trigger.type,
    tagId: trigger.type === "tag_added" ? trigger.tagId : null,
    scoreThreshold: trigger.type === "score_threshold" ? trigger.scoreThreshold : null,
    signupSource: trigger.type === "signup" ? trigger.signupSource || null : null,
  };
}
