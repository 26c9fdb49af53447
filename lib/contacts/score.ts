import { z } from "zod";
import { now as currentTime } from "../clock";
import { Prisma, type Db } from "../db/prisma";
import { AppError } from "../errors";
import { EMPTY_SUMMARY, fireScoreTriggers, type ChangeSource, type TriggerSummary } from "../triggers/fire";
import { LEAD_SCORE_MAX, LEAD_SCORE_MIN, ZLeadScore } from "../validations/contact";
import { ZId } from "../validations/enrollment";
import { parseOrThrow } from "../validations/parse";

export type ScoreChange = { previous: number; next: number; triggers: TriggerSummary };

const ZDelta = z.number().int("Whole numbers only").min(-2 * LEAD_SCORE_MAX).max(2 * LEAD_SCORE_MAX);

/** Sets a contact's lead score; score_threshold triggers fire if it rose across a threshold. */
export async function setLeadScore(
  db: Db,
  input: { contactId: string; score: number; source: ChangeSource; fireTriggers?: boolean },
): Promise<ScoreChange> {
  const score = parseOrThrow(ZLeadScore, input.score);
  return changeScore(db, input, Prisma.sql`${score}::int`);
}

/** Adds `delta` (may be negative) to a contact's lead score, clamped to the allowed range. */
export async function adjustLeadScore(
  db: Db,
  input: { contactId: string; delta: number; source: ChangeSource; fireTriggers?: boolean },
): Promise<ScoreChange> {
  const delta = parseOrThrow(ZDelta, input.delta);
  return changeScore(db, input, Prisma.sql`GREATEST(${LEAD_SCORE_MIN}::int, LEAST(${LEAD_SCORE_MAX}::int, old."leadScore" + ${delta}::int))`);
}

async function changeScore(db: Db, input: { contactId: string; fireTriggers?: boolean }, nextScore: Prisma.Sql): Promise<ScoreChange> {
  const contactId = parseOrThrow(ZId, input.contactId);
  // The CTE locks the row and reads the score it replaces, so concurrent
  // changes are serialized and each sees the previous one's result: a
  // threshold is crossed by exactly one of them.
  const [row] = await db.$queryRaw<{ previous: number; next: number }[]>`
    WITH old AS (
      SELECT "id", "leadScore" FROM "Contact" WHERE "id" = ${contactId} AND "deletedAt" IS NULL FOR UPDATE
    )
    UPDATE "Contact" c SET "leadScore" = ${nextScore}, "updatedAt" = ${currentTime().toISOString()}::timestamp(3)
    FROM old WHERE c."id" = old."id"
    RETURNING old."leadScore" AS "previous", c."leadScore" AS "next"`;
  if (!row) throw new AppError("not_found", "Contact not found.");

  const fire = input.fireTriggers ?? true;
  const triggers = fire ? await fireScoreTriggers(db, { contactId, previous: row.previous, next: row.next }) : { ...EMPTY_SUMMARY };
  return { previous: row.previous, next: row.next, triggers };
}
