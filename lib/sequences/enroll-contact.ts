import { now as currentTime } from "../clock";
import { publishEvents } from "../events/publish";
import type { Db, Tx } from "../db/prisma";
import { ZEnrollContactInput, type TEnrollContactInput } from "../validations/enrollment";
import { parseOrThrow } from "../validations/parse";
import { reentryDecision } from "./reentry";
import { enrollmentStartedEvent } from "./run-events";
import { dueAt } from "./schedule";

export type EnrollRefusal =
  | "contact_not_found"
  | "contact_deleted"
  | "contact_unsubscribed"
  | "contact_bounced"
  | "sequence_not_found"
  | "sequence_not_active"
  | "reentry_not_allowed";

export type EnrollResult =
  | { outcome: "enrolled"; enrollmentId: string }
  | { outcome: "already_enrolled"; enrollmentId: string | null }
  | { outcome: "refused"; reason: EnrollRefusal };

type Enrolled = { outcome: "enrolled"; enrollmentId: string; exitOnReply: boolean };

/**
 * Enrolls a contact in a sequence: the one way any enrollment is created.
 * At most one live (active or paused) enrollment per contact and sequence is
 * guaranteed by a partial unique index: of two concurrent calls, one inserts
 * and the other reports `already_enrolled`. Expected refusals are returned,
 * not thrown; malformed input throws AppError("validation") and writes nothing.
 */
export async function enrollContact(db: Db, input: TEnrollContactInput): Promise<EnrollResult> {
  const { contactId, sequenceId, source, triggerId } = parseOrThrow(ZEnrollContactInput, input);

  const result = await db.$transaction((tx) => enrollInTransaction(tx, { contactId, sequenceId, source, triggerId }));

  if (result.outcome === "enrolled") {
    // After commit: the run starts only for an enrollment that exists.
    await publishEvents([
      enrollmentStartedEvent({ enrollmentId: result.enrollmentId, contactId, sequenceId, exitOnReply: result.exitOnReply }),
    ]);
    return { outcome: "enrolled", enrollmentId: result.enrollmentId };
  }
  return result;
}

async function enrollInTransaction(tx: Tx, input: TEnrollContactInput): Promise<Enrolled | Exclude<EnrollResult, { outcome: "enrolled" }>> {
  const { contactId, sequenceId, source, triggerId } = input;

  // FOR SHARE: an opt-out locks the contact FOR UPDATE, so it either commits
  // before this read (and we refuse) or waits and then ends this enrollment.
  const [contact] = await tx.$queryRaw<{ status: string; deletedAt: Date | null }[]>`
    SELECT "status"::text AS "status", "deletedAt" FROM "Contact" WHERE "id" = ${contactId} FOR SHARE`;
  if (!contact) return { outcome: "refused", reason: "contact_not_found" };

  const sequence = await tx.sequence.findUnique({
    where: { id: sequenceId },
    select: { status: true, reentryPolicy: true, exitOnReply: true },
  });
  if (!sequence) return { outcome: "refused", reason: "sequence_not_found" };

  const refuse = async (reason: EnrollRefusal) => {
    await tx.enrollmentEvent.create({ data: { type: "enrollment_refused", contactId, sequenceId, reason, data: { source } } });
    return { outcome: "refused" as const, reason };
  };
  const alreadyEnrolled = async () => {
    const live = await tx.enrollment.findFirst({
      where: { contactId, sequenceId, status: { in: ["active", "paused"] } },
      select: { id: true },
    });
    await tx.enrollmentEvent.create({
      data: { type: "duplicate_refused", contactId, sequenceId, enrollmentId: live?.id, reason: "already_enrolled", data: { source } },
    });
    return { outcome: "already_enrolled" as const, enrollmentId: live?.id ?? null };
  };

  if (contact.deletedAt) return refuse("contact_deleted");
  if (contact.status === "unsubscribed") return refuse("contact_unsubscribed");
  if (contact.status === "bounced") return refuse("contact_bounced");
  if (sequence.status !== "active") return refuse("sequence_not_active");

  const previous = await tx.enrollment.findFirst({
    where: { contactId, sequenceId },
    orderBy: { enrolledAt: "desc" },
    select: { status: true, exitReason: true },
  });
  if (previous && (previous.status === "active" || previous.status === "paused")) return alreadyEnrolled();
  const decision = reentryDecision(sequence.reentryPolicy, previous?.exitReason ?? null);
  if (!decision.allowed) return refuse(decision.reason);

  const firstStep = await tx.sequenceStep.findFirst({
    where: { sequenceId, deletedAt: null },
    orderBy: { position: "asc" },
    select: { delayAmount: true, delayUnit: true },
  });
  const now = currentTime();
  const nextStepDueAt = firstStep ? dueAt(now, firstStep) : now;

  // The partial unique index decides: a concurrent enrollment that committed
  // first makes this INSERT do nothing (it waits for that commit, then sees it).
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "Enrollment" ("id", "contactId", "sequenceId", "status", "source", "triggerId", "enrolledAt", "nextStepDueAt", "updatedAt")
    VALUES (gen_random_uuid()::text, ${contactId}, ${sequenceId}, 'active', ${source}, ${triggerId ?? null}, ${now}, ${nextStepDueAt}, ${now})
    ON CONFLICT ("contactId", "sequenceId") WHERE "status" IN ('active', 'paused') DO NOTHING
    RETURNING "id"`;
  if (inserted.length === 0) return alreadyEnrolled();

  const enrollmentId = inserted[0].id;
  await tx.enrollmentEvent.create({
    data: { type: "enrolled", contactId, sequenceId, enrollmentId, reason: source, data: triggerId ? { triggerId } : undefined },
  });
  return { outcome: "enrolled", enrollmentId, exitOnReply: sequence.exitOnReply };
}
