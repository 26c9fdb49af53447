import type { z } from "zod";
import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import { Prisma } from "../generated/prisma/client";
import { canonicalZone } from "../schedule/zone";
import { parseOrThrow } from "../validations/parse";
import { DEFAULT_SCHEDULE } from "../validations/schedule";
import {
  ZSequenceRef,
  ZSequenceSettings,
  ZUpdateSequenceSettings,
  type TSequenceRef,
  type TUpdateSequenceSettings,
} from "../validations/sequence";
import { assertEditable, lockSequence } from "./sequence-lock";

const NAME_MAX = 120;

/**
 * Creates a draft sequence with no steps or triggers yet. New sequences get the
 * default schedule (weekdays 9–17 in each contact's zone) in `timezone`, the
 * creator's zone when the form sends it.
 */
export async function createSequence(db: Db, input: z.input<typeof ZSequenceSettings>): Promise<{ id: string }> {
  const { timezone, ...settings } = parseOrThrow(ZSequenceSettings, input);
  const zone = (timezone && canonicalZone(timezone)) || "UTC";
  return db.sequence.create({ data: { ...settings, status: "draft", schedule: DEFAULT_SCHEDULE, timezone: zone }, select: { id: true } }).catch(senderGone);
}

/** A sender deleted between the form's load and its save fails the foreign key: a field error, not a 500. */
function senderGone(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2003") {
    throw new AppError("validation", "Please correct the highlighted fields.", { senderId: ["That sender no longer exists. Pick another."] });
  }
  throw error;
}

/** Renames a sequence and sets its exit-on-reply and re-entry rules. */
export async function updateSequenceSettings(db: Db, input: z.input<typeof ZUpdateSequenceSettings>): Promise<{ id: string }> {
  // The zone belongs to the schedule form (updateSequenceSchedule), not to these settings.
  const { sequenceId, timezone: _zone, ...settings }: TUpdateSequenceSettings = parseOrThrow(ZUpdateSequenceSettings, input);
  return db.$transaction(async (tx) => {
    assertEditable((await lockSequence(tx, sequenceId)).status);
    return tx.sequence.update({ where: { id: sequenceId }, data: settings, select: { id: true } });
  }).catch(senderGone);
}

/**
 * Copies a sequence (any status, archived included) as a new draft named
 * "Copy of ...": its settings, live steps in order, and triggers. No
 * enrollments or history come along.
 */
export async function duplicateSequence(db: Db, input: TSequenceRef): Promise<{ id: string }> {
  const { sequenceId } = parseOrThrow(ZSequenceRef, input);
  return db.$transaction(async (tx) => {
    const source = await tx.sequence.findUnique({
      where: { id: sequenceId },
      select: {
        name: true,
        description: true,
        exitOnReply: true,
        autoReplyPauseDays: true,
        reentryPolicy: true,
        schedule: true,
        timezone: true,
        senderId: true,
        steps: {
          where: { deletedAt: null },
          orderBy: [{ position: "asc" }, { createdAt: "asc" }],
          select: { delayAmount: true, delayUnit: true, waitUntil: true, subject: true, body: true },
        },
        triggers: { orderBy: { createdAt: "asc" }, select: { type: true, tagId: true, scoreThreshold: true, signupSource: true } },
      },
    });
    if (!source) throw new AppError("not_found", "Sequence not found.");
    return tx.sequence.create({
      data: {
        name: `Copy of ${source.name}`.slice(0, NAME_MAX),
        description: source.description,
        exitOnReply: source.exitOnReply,
        autoReplyPauseDays: source.autoReplyPauseDays,
        reentryPolicy: source.reentryPolicy,
        schedule: source.schedule ?? Prisma.DbNull,
        timezone: source.timezone,
        senderId: source.senderId,
        status: "draft",
        steps: { create: source.steps.map((step, position) => ({ ...step, position })) },
        triggers: { create: source.triggers },
      },
      select: { id: true },
    });
  });
}
