/** What Resume will do: how many contacts are due and how long they take to go out (for its confirmation). */
import "server-only";
import { now } from "../clock";
import type { Db } from "../db/prisma";
import { localDay } from "../schedule/day";
import { canonicalZone } from "../schedule/zone";
import { describeDrain, estimateDrain, type DrainEstimate } from "./estimate";
import { sendRatePerMinute } from "./rate";

export type ResumePreview = DrainEstimate & { dailyCap: number | null; ratePerMinute: number | null; summary: string };

/**
 * "Due" = contacts in the sequence whose next step's time has come (or who
 * have none planned yet): on Resume their runs claim at once, and the cap
 * and the rate spread them. The rest continue at their planned times.
 */
export async function resumePreview(db: Db, sequenceId: string): Promise<ResumePreview> {
  const at = now();
  const sequence = await db.sequence.findUniqueOrThrow({ where: { id: sequenceId }, select: { dailyCap: true, timezone: true } });
  const due = await db.enrollment.count({
    where: { sequenceId, status: "active", OR: [{ nextStepDueAt: null }, { nextStepDueAt: { lte: at } }] },
  });
  const day = localDay(at, canonicalZone(sequence.timezone) ?? "UTC");
  const today = await db.sequenceDaySends.findUnique({ where: { sequenceId_day: { sequenceId, day } }, select: { sends: true } });
  const ratePerMinute = sendRatePerMinute();
  const estimate = estimateDrain({ due, dailyCap: sequence.dailyCap, sentToday: today?.sends ?? 0, ratePerMinute });
  return { ...estimate, dailyCap: sequence.dailyCap, ratePerMinute, summary: describeDrain(estimate, { dailyCap: sequence.dailyCap, ratePerMinute }) };
}
