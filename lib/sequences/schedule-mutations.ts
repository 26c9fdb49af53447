import type { z } from "zod";
import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import { Prisma } from "../generated/prisma/client";
import { isHolidayCountry } from "../schedule/holidays";
import { canonicalZone } from "../schedule/zone";
import { parseOrThrow } from "../validations/parse";
import { ZUpdateSequenceSchedule, type TStoredSchedule } from "../validations/schedule";
import { publishEvents } from "../events/publish";
import { assertEditable, lockSequence } from "./sequence-lock";
import { loadSteps, rulesOf } from "./versions/load";
import { publishVersion, sequencePublishedEvent } from "./versions/publish";

/**
 * How long the publishing transaction may take. Prisma's default (5 s) is
 * not enough to re-plan every waiting contact of a large sequence: 10,000
 * enrollments (scripts/bench/replan.ts) took 15-30 s on a loaded 2-core
 * machine, and the edit failed. Planning reads without locking the
 * enrollments; their rows are locked only by the final UPDATE.
 */
const PUBLISH_TIMEOUT_MS = 120_000;

/**
 * Sets when a sequence may send, its fallback zone and its daily cap. With contacts in the
 * sequence, this publishes a version: their due times move to the new
 * window and their runs wake to re-plan.
 */
export async function updateSequenceSchedule(db: Db, input: z.input<typeof ZUpdateSequenceSchedule>): Promise<{ id: string }> {
  const { sequenceId, timezone, anyTime, days, windowStart, windowEnd, holidayCountry, dailyCap } = parseOrThrow(ZUpdateSequenceSchedule, input);
  // The form offers date-holidays' own list; a code outside it is refused here, on the server, where the data set lives.
  if (!anyTime && holidayCountry !== null && !isHolidayCountry(holidayCountry)) {
    throw new AppError("validation", "Please correct the highlighted fields.", { holidayCountry: ["Pick a country from the list"] });
  }
  const zone = canonicalZone(timezone);
  if (zone === null) throw new AppError("validation", "Please correct the highlighted fields.", { timezone: ["Not a known time zone (e.g. Europe/Paris or UTC)"] });
  const schedule: TStoredSchedule | null = anyTime
    ? null
    : { days: [...days].sort((a, b) => a - b), window: { start: windowStart, end: windowEnd }, holidayCountry };
  const { result, published } = await db.$transaction(async (tx) => {
    assertEditable((await lockSequence(tx, sequenceId)).status);
    // Waiting contacts re-plan in the new window: published as a version (lib/sequences/versions).
    const previous = await tx.sequence.findUniqueOrThrow({ where: { id: sequenceId }, select: { schedule: true, timezone: true } });
    const before = await loadSteps(tx, sequenceId);
    const result = await tx.sequence.update({
      where: { id: sequenceId },
      // A cap change needs no migration: the claim reads it; the publish below wakes held runs to re-check.
      data: { timezone: zone, schedule: schedule ?? Prisma.DbNull, ...(dailyCap === undefined ? {} : { dailyCap }) },
      select: { id: true },
    });
    const published = await publishVersion(tx, { sequenceId, before, rulesBefore: rulesOf(previous), summary: "Changed the sending schedule" });
    return { result, published };
  }, { timeout: PUBLISH_TIMEOUT_MS });
  if (published) await publishEvents([sequencePublishedEvent(sequenceId, published.version)]);
  return result;
}
