import { now } from "../clock";
import type { Db } from "../db/prisma";
import { publishEvents } from "../events/publish";
import { enrollmentStartedEvent } from "./run-events";

/** How late a step must be before its run is presumed lost. */
export const OVERDUE_GRACE_MS = 15 * 60_000;
/** At most one restart per enrollment per bucket (the run key includes it). */
export const HEAL_BUCKET_MS = 60 * 60_000;

/**
 * Finds active enrollments (in active sequences) whose next step is long
 * overdue, meaning their run was lost (its start event never reached
 * Inngest, the executor restarted...), and starts a fresh run for each. A
 * fresh run continues from whatever the database says is next, and the
 * unique send record makes it harmless if the old run was alive after all.
 */
export async function healOverdueEnrollments(db: Db, options: { limit?: number } = {}): Promise<{ restarted: number }> {
  const at = now();
  const overdue = await db.enrollment.findMany({
    where: {
      status: "active",
      nextStepDueAt: { lt: new Date(at.getTime() - OVERDUE_GRACE_MS) },
      sequence: { status: "active" },
    },
    orderBy: { nextStepDueAt: "asc" },
    take: options.limit ?? 500,
    select: { id: true, contactId: true, sequenceId: true, sequence: { select: { exitOnReply: true } } },
  });
  if (overdue.length === 0) return { restarted: 0 };
  const healBucket = Math.floor(at.getTime() / HEAL_BUCKET_MS);
  const sent = await publishEvents(
    overdue.map((e) =>
      enrollmentStartedEvent({ enrollmentId: e.id, contactId: e.contactId, sequenceId: e.sequenceId, exitOnReply: e.sequence.exitOnReply, restartKey: `heal:${healBucket}` }),
    ),
  );
  return { restarted: sent ? overdue.length : 0 };
}
