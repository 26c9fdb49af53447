/**
 * A sequence's lifecycle: draft -> active <-> paused, and draft/paused ->
 * archived (final: an archived sequence can only be duplicated). Each
 * transition locks the sequence row and refuses, with AppError("conflict")
 * and a message saying why, whatever does not apply to its current status.
 */
import type { z } from "zod";
import { now } from "../clock";
import type { Db, Tx } from "../db/prisma";
import { AppError } from "../errors";
import { publishEvents } from "../events/publish";
import { parseOrThrow } from "../validations/parse";
import { ZActivateSequence, ZSequenceRef, type TSequenceRef } from "../validations/sequence";
import { describeMissingValue, missingMergeValues } from "./merge-tag-coverage";
import { enrollmentStartedEvent } from "./run-events";
import { lockSequence } from "./sequence-lock";
import { bodyIsEmpty } from "../email/body-doc";

/** How many restarted runs go to Inngest per request when resuming. */
export const RESUME_CHUNK_SIZE = 500;

function refuse(message: string): never {
  throw new AppError("conflict", message);
}

const ARCHIVED = "This sequence is archived. Duplicate it to use it again.";

/**
 * Activates a draft. It needs at least one step with a subject and a body,
 * and at least one entry trigger unless `manualOnly` confirms that contacts
 * will only be enrolled by hand (or through the API).
 */
export async function activateSequence(db: Db, input: z.input<typeof ZActivateSequence>): Promise<{ status: "active" }> {
  const { sequenceId, manualOnly, acknowledgeMissingValues } = parseOrThrow(ZActivateSequence, input);
  await db.$transaction(async (tx) => {
    const { status } = await lockSequence(tx, sequenceId);
    if (status === "active") refuse("This sequence is already active.");
    if (status === "paused") refuse("This sequence is paused. Resume it instead.");
    if (status === "archived") refuse("Archived sequences cannot be activated again. Duplicate it to use it again.");

    const missing = await missingSteps(tx, sequenceId);
    if (!manualOnly && (await tx.sequenceTrigger.count({ where: { sequenceId } })) === 0) {
      missing.push("Add an entry trigger, or choose manual enrollment only.");
    }
    if (missing.length > 0) refuse(`This sequence cannot be activated yet. ${missing.join(" ")}`);
    if (!acknowledgeMissingValues) await refuseUnacknowledgedGaps(tx, sequenceId);
    await tx.sequence.update({ where: { id: sequenceId }, data: { status: "active" } });
  });
  return { status: "active" };
}

/**
 * Pauses an active sequence. Nothing is cancelled: each run stops by itself
 * at its next step, because planning and sending re-check the sequence's
 * status. No one is enrolled while it is paused.
 */
export async function pauseSequence(db: Db, input: TSequenceRef): Promise<{ status: "paused" }> {
  const { sequenceId } = parseOrThrow(ZSequenceRef, input);
  await db.$transaction(async (tx) => {
    const { status } = await lockSequence(tx, sequenceId);
    if (status === "paused") refuse("This sequence is already paused.");
    if (status === "archived") refuse(ARCHIVED);
    if (status !== "active") refuse("Only an active sequence can be paused.");
    await tx.sequence.update({ where: { id: sequenceId }, data: { status: "paused" } });
  });
  return { status: "paused" };
}

/**
 * Resumes a paused sequence, then restarts the run of every active
 * enrollment. A restarted run continues from the first step the contact has
 * not received, so nobody gets a step twice; a run still asleep from before
 * the pause is harmless (the unique send record decides).
 */
export async function resumeSequence(db: Db, input: TSequenceRef): Promise<{ status: "active"; restarted: number }> {
  const { sequenceId } = parseOrThrow(ZSequenceRef, input);
  const exitOnReply = await db.$transaction(async (tx) => {
    const { status } = await lockSequence(tx, sequenceId);
    if (status === "active") refuse("This sequence is already active.");
    if (status === "archived") refuse(ARCHIVED);
    if (status !== "paused") refuse("Only a paused sequence can be resumed.");
    const missing = await missingSteps(tx, sequenceId);
    if (missing.length > 0) refuse(`This sequence cannot be resumed yet. ${missing.join(" ")}`);
    const updated = await tx.sequence.update({ where: { id: sequenceId }, data: { status: "active" }, select: { exitOnReply: true } });
    return updated.exitOnReply;
  });

  // After commit: a run started earlier would stop at once on "paused".
  const enrollments = await db.enrollment.findMany({ where: { sequenceId, status: "active" }, select: { id: true, contactId: true } });
  const restartKey = `resume:${now().getTime()}`;
  for (let i = 0; i < enrollments.length; i += RESUME_CHUNK_SIZE) {
    await publishEvents(
      enrollments
        .slice(i, i + RESUME_CHUNK_SIZE)
        .map((e) => enrollmentStartedEvent({ enrollmentId: e.id, contactId: e.contactId, sequenceId, exitOnReply, restartKey })),
    );
  }
  return { status: "active", restarted: enrollments.length };
}

/**
 * Archives a draft, or a paused sequence nobody is in any more. An active
 * sequence must be paused first (so that no trigger enrolls anyone while it
 * is archived), and contacts still in it removed: archiving ends no one.
 */
export async function archiveSequence(db: Db, input: TSequenceRef): Promise<{ status: "archived" }> {
  const { sequenceId } = parseOrThrow(ZSequenceRef, input);
  await db.$transaction(async (tx) => {
    const { status } = await lockSequence(tx, sequenceId);
    if (status === "archived") refuse("This sequence is already archived.");
    if (status === "active") refuse("Pause the sequence before archiving it.");
    const live = await tx.enrollment.count({ where: { sequenceId, status: { in: ["active", "paused"] } } });
    if (live > 0) {
      refuse(`${live === 1 ? "1 contact is" : `${live.toLocaleString("en")} contacts are`} still in this sequence. Remove them from it before archiving.`);
    }
    await tx.sequence.update({ where: { id: sequenceId }, data: { status: "archived" } });
  });
  return { status: "archived" };
}

/**
 * Merge tags without a fallback that some contacts have no value for: they
 * would get an empty spot, so activation names the counts and waits for a
 * confirmation (the field `acknowledgeMissingValues`).
 */
async function refuseUnacknowledgedGaps(tx: Tx, sequenceId: string): Promise<void> {
  const gaps = (await missingMergeValues(tx, sequenceId)).map(describeMissingValue);
  if (gaps.length === 0) return;
  throw new AppError("conflict", `Some contacts have no value for a merge tag without a fallback: ${gaps.join("; ")}. Add a fallback such as {{company|your team}}, or confirm to send anyway.`, {
    acknowledgeMissingValues: gaps,
  });
}

/** What stops the sequence's steps from being sent, as sentences. */
async function missingSteps(tx: Tx, sequenceId: string): Promise<string[]> {
  const steps = await tx.sequenceStep.findMany({
    where: { sequenceId, deletedAt: null },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
    select: { subject: true, body: true },
  });
  if (steps.length === 0) return ["Add at least one step."];
  return steps.flatMap((step, index) => {
    const lacks = [!step.subject.trim() && "a subject", bodyIsEmpty(step.body) && "a body"].filter(Boolean);
    return lacks.length ? [`Step ${index + 1} needs ${lacks.join(" and ")}.`] : [];
  });
}

