import { z } from "zod";
import { now as currentTime } from "../clock";
import { Prisma, type Db, type Tx } from "../db/prisma";
import { publishEvents, type OutgoingEvent } from "../events/publish";
import type { DelayUnit } from "../generated/prisma/enums";
import { assertIds } from "../validations/ids";
import { parseOrThrow } from "../validations/parse";
import type { EnrollRefusal, EnrollResult } from "./enroll-contact";
import type { TExitReason } from "./exit-reasons";
import { reentryDecision, type TReentryPolicy } from "./reentry";
import { enrollmentStartedEvent } from "./run-events";
import { dueAt } from "./schedule";
import { ZEnrollmentSource, type EnrollmentSource } from "./triggers";

export type EnrollPair = { contactId: string; sequenceId: string; triggerId?: string | null };

const ZEnrollManyInput = z.object({ pairs: z.array(z.unknown()), source: ZEnrollmentSource });

const PUBLISH_CHUNK = 500;

type Candidate = Required<Pick<EnrollPair, "contactId" | "sequenceId">> & { triggerId: string | null; dueAt: Date };
type SequenceFacts = { status: string; reentryPolicy: TReentryPolicy; exitOnReply: boolean };

/**
 * enrollContact for many (contact, sequence) pairs at once, for bulk tagging:
 * a handful of set-based statements in one transaction instead of a
 * transaction per pair. It applies enrollContact's rules in the same order
 * (via the same reentryDecision), logs the same events, and relies on the
 * same partial unique index, so the two can race without duplicates.
 * Returns one result per input pair, in order; a pair repeated in the input
 * gets what a second enrollContact call would.
 */
export async function enrollMany(db: Db, input: { pairs: EnrollPair[]; source: EnrollmentSource }): Promise<EnrollResult[]> {
  const { source } = parseOrThrow(ZEnrollManyInput, input);
  const pairs = validPairs(input.pairs);
  if (pairs.length === 0) return [];

  const unique = [...new Map(pairs.map((pair) => [pairKey(pair), pair] as const)).values()];

  const { results, started } = await db.$transaction((tx) => enrollInTransaction(tx, unique, source), { timeout: 120_000 });

  // After commit, in chunks: a run starts only for an enrollment that exists.
  for (let i = 0; i < started.length; i += PUBLISH_CHUNK) await publishEvents(started.slice(i, i + PUBLISH_CHUNK));

  const seen = new Set<string>();
  return pairs.map((pair) => {
    const key = pairKey(pair);
    const result = results.get(key)!;
    if (!seen.has(key)) {
      seen.add(key);
      return result;
    }
    // What a repeated enrollContact call would answer.
    return result.outcome === "enrolled" ? { outcome: "already_enrolled", enrollmentId: result.enrollmentId } : result;
  });
}

/** Counts results by outcome. */
export function summarizeResults(results: EnrollResult[]): { enrolled: number; alreadyEnrolled: number; refused: number } {
  const summary = { enrolled: 0, alreadyEnrolled: 0, refused: 0 };
  for (const r of results) {
    if (r.outcome === "enrolled") summary.enrolled++;
    else if (r.outcome === "already_enrolled") summary.alreadyEnrolled++;
    else summary.refused++;
  }
  return summary;
}

/**
 * Checks ids with ZId's pattern instead of a zod object per pair: bulk calls
 * pass tens of thousands of pairs.
 */
function validPairs(pairs: EnrollPair[]): EnrollPair[] {
  assertIds(pairs.map((p) => p?.contactId), "pairs.contactId");
  assertIds(pairs.map((p) => p?.sequenceId), "pairs.sequenceId");
  const triggers = pairs.map((p) => p?.triggerId).filter((id) => id !== undefined && id !== null);
  assertIds(triggers, "pairs.triggerId");
  return pairs;
}

const pairKey = (pair: { contactId: string; sequenceId: string }) => `${pair.contactId}|${pair.sequenceId}`;

async function enrollInTransaction(tx: Tx, pairs: EnrollPair[], source: EnrollmentSource) {
  const contactIds = [...new Set(pairs.map((p) => p.contactId))].sort();
  const sequenceIds = [...new Set(pairs.map((p) => p.sequenceId))].sort();

  const unmailable = await lockContacts(tx, contactIds);

  const sequences = await tx.sequence.findMany({
    where: { id: { in: sequenceIds } },
    select: { id: true, status: true, reentryPolicy: true, exitOnReply: true },
  });
  const sequenceById = new Map<string, SequenceFacts>(sequences.map((s) => [s.id, s]));

  const firstSteps = await tx.$queryRaw<{ sequenceId: string; delayAmount: number; delayUnit: DelayUnit }[]>`
    SELECT DISTINCT ON ("sequenceId") "sequenceId", "delayAmount", "delayUnit"
    FROM "SequenceStep" WHERE "sequenceId" = ANY(${sequenceIds}::text[]) AND "deletedAt" IS NULL
    ORDER BY "sequenceId", "position" ASC`;
  const firstStepOf = new Map(firstSteps.map((s) => [s.sequenceId, s]));

  const latest = await latestEnrollments(tx, contactIds, sequenceIds);
  const now = currentTime();

  const results = new Map<string, EnrollResult>();
  const refusals: { pair: EnrollPair; reason: EnrollRefusal }[] = [];
  const duplicates: { pair: EnrollPair; enrollmentId: string | null }[] = [];
  const candidates: Candidate[] = [];

  for (const pair of pairs) {
    const key = pairKey(pair);
    const verdict = classify(unmailable.get(pair.contactId) ?? MAILABLE, sequenceById.get(pair.sequenceId), latest.get(key));
    if (verdict.kind === "refused") {
      results.set(key, { outcome: "refused", reason: verdict.reason });
      // enrollContact cannot log about a contact or sequence that does not exist.
      if (verdict.reason !== "contact_not_found" && verdict.reason !== "sequence_not_found") refusals.push({ pair, reason: verdict.reason });
    } else if (verdict.kind === "live") {
      results.set(key, { outcome: "already_enrolled", enrollmentId: verdict.enrollmentId });
      duplicates.push({ pair, enrollmentId: verdict.enrollmentId });
    } else {
      const firstStep = firstStepOf.get(pair.sequenceId);
      candidates.push({
        contactId: pair.contactId,
        sequenceId: pair.sequenceId,
        triggerId: pair.triggerId ?? null,
        dueAt: firstStep ? dueAt(now, firstStep) : now,
      });
    }
  }

  const inserted = await insertEnrollments(tx, candidates, source, now);
  const insertedByKey = new Map(inserted.map((row) => [pairKey(row), row.id]));
  const started: OutgoingEvent[] = [];
  const raced: EnrollPair[] = [];
  for (const candidate of candidates) {
    const key = pairKey(candidate);
    const enrollmentId = insertedByKey.get(key);
    if (enrollmentId) {
      results.set(key, { outcome: "enrolled", enrollmentId });
      const { exitOnReply } = sequenceById.get(candidate.sequenceId)!;
      started.push(enrollmentStartedEvent({ enrollmentId, contactId: candidate.contactId, sequenceId: candidate.sequenceId, exitOnReply }));
    } else {
      raced.push(candidate); // a concurrent enrollment committed first
    }
  }
  if (raced.length > 0) {
    const live = await latestEnrollments(tx, [...new Set(raced.map((p) => p.contactId))], sequenceIds);
    for (const pair of raced) {
      const enrollmentId = live.get(pairKey(pair))?.id ?? null;
      results.set(pairKey(pair), { outcome: "already_enrolled", enrollmentId });
      duplicates.push({ pair, enrollmentId });
    }
  }

  await logRefusals(tx, refusals, duplicates, source);
  return { results, started };
}

type Verdict = { kind: "refused"; reason: EnrollRefusal } | { kind: "live"; enrollmentId: string } | { kind: "allowed" };

type ContactFacts = { found: boolean; status: string; deletedAt: Date | null };
const MAILABLE: ContactFacts = { found: true, status: "subscribed", deletedAt: null };

/** enrollContact's checks, in enrollContact's order. */
function classify(
  contact: ContactFacts,
  sequence: SequenceFacts | undefined,
  previous: { id: string; status: string; exitReason: TExitReason | null } | undefined,
): Verdict {
  const refused = (reason: EnrollRefusal): Verdict => ({ kind: "refused", reason });
  if (!contact.found) return refused("contact_not_found");
  if (!sequence) return refused("sequence_not_found");
  if (contact.deletedAt) return refused("contact_deleted");
  if (contact.status === "unsubscribed") return refused("contact_unsubscribed");
  if (contact.status === "bounced") return refused("contact_bounced");
  if (sequence.status !== "active") return refused("sequence_not_active");
  if (previous && (previous.status === "active" || previous.status === "paused")) return { kind: "live", enrollmentId: previous.id };
  const decision = reentryDecision(sequence.reentryPolicy, previous?.exitReason ?? null);
  return decision.allowed ? { kind: "allowed" } : refused(decision.reason);
}

/**
 * Locks the contacts FOR SHARE, as enrollContact does: an opt-out (FOR
 * UPDATE) either committed before this read, or waits for this transaction
 * and then ends what it made. Returns only the contacts that are missing or
 * not mailable, since a bulk call's contacts are mostly fine.
 */
async function lockContacts(tx: Tx, contactIds: string[]): Promise<Map<string, ContactFacts>> {
  const rows = await tx.$queryRaw<(ContactFacts & { id: string })[]>`
    WITH ids AS (SELECT unnest(${contactIds}::text[]) AS "id"),
    locked AS (
      SELECT c."id", c."status", c."deletedAt" FROM "Contact" c JOIN ids ON ids."id" = c."id"
      ORDER BY c."id" FOR SHARE OF c
    )
    SELECT ids."id", l."id" IS NOT NULL AS "found", l."status"::text AS "status", l."deletedAt"
    FROM ids LEFT JOIN locked l ON l."id" = ids."id"
    WHERE l."id" IS NULL OR l."status" <> 'subscribed' OR l."deletedAt" IS NOT NULL`;
  return new Map(rows.map((row) => [row.id, row]));
}

/** The most recent enrollment of each (contact, sequence) pair (what enrollContact's re-entry check reads). */
async function latestEnrollments(tx: Tx, contactIds: string[], sequenceIds: string[]) {
  const rows = await tx.$queryRaw<{ id: string; contactId: string; sequenceId: string; status: string; exitReason: TExitReason | null }[]>`
    SELECT DISTINCT ON (e."contactId", e."sequenceId") e."id", e."contactId", e."sequenceId", e."status"::text AS "status", e."exitReason"::text AS "exitReason"
    FROM "Enrollment" e
    WHERE e."contactId" = ANY(${contactIds}::text[]) AND e."sequenceId" = ANY(${sequenceIds}::text[])
    ORDER BY e."contactId", e."sequenceId", e."enrolledAt" DESC`;
  return new Map(rows.map((row) => [pairKey(row), row]));
}

/**
 * Inserts the enrollments and their "enrolled" events in one statement.
 * Pairs sharing a sequence, trigger and due time are sent as a small group
 * table plus an index per contact, to keep the parameters small.
 */
async function insertEnrollments(tx: Tx, candidates: Candidate[], source: string, now: Date) {
  if (candidates.length === 0) return [];
  // Sorted so that two overlapping bulk enrollments take index locks in the
  // same order (opposite orders can deadlock on the unique index).
  const sorted = [...candidates].sort((a, b) => pairKey(a).localeCompare(pairKey(b)));
  const groups = new Map<string, number>();
  const groupOf = sorted.map((c) => {
    const key = `${c.sequenceId}|${c.triggerId ?? ""}|${c.dueAt.toISOString()}`;
    if (!groups.has(key)) groups.set(key, groups.size + 1);
    return groups.get(key)!;
  });
  const groupRows = [...groups.keys()].map((key) => key.split("|"));
  // ISO strings cast to timestamp keep the UTC wall time, as Prisma stores it.
  const at = now.toISOString();

  return tx.$queryRaw<{ id: string; contactId: string; sequenceId: string }[]>`
    WITH inserted AS (
      INSERT INTO "Enrollment" ("id", "contactId", "sequenceId", "status", "source", "triggerId", "enrolledAt", "nextStepDueAt", "updatedAt")
      SELECT gen_random_uuid()::text, p."contactId", g."sequenceId", 'active'::"EnrollmentStatus", ${source}, NULLIF(g."triggerId", ''),
             ${at}::timestamp(3), g."dueAt"::timestamp(3), ${at}::timestamp(3)
      FROM unnest(${sorted.map((c) => c.contactId)}::text[], ${groupOf}::int[]) WITH ORDINALITY AS p("contactId", "group", "ord")
      JOIN unnest(${groupRows.map((g) => g[0])}::text[], ${groupRows.map((g) => g[1])}::text[], ${groupRows.map((g) => g[2])}::text[])
           WITH ORDINALITY AS g("sequenceId", "triggerId", "dueAt", "group") ON g."group" = p."group"
      ORDER BY p."ord"
      ON CONFLICT ("contactId", "sequenceId") WHERE "status" IN ('active', 'paused') DO NOTHING
      RETURNING "id", "contactId", "sequenceId", "triggerId"
    ), logged AS (
      INSERT INTO "EnrollmentEvent" ("type", "contactId", "sequenceId", "enrollmentId", "reason", "data", "createdAt")
      SELECT 'enrolled'::"EnrollmentEventType", i."contactId", i."sequenceId", i."id", ${source},
             CASE WHEN i."triggerId" IS NULL THEN NULL ELSE jsonb_build_object('triggerId', i."triggerId") END,
             CURRENT_TIMESTAMP
      FROM inserted i
    )
    SELECT "id", "contactId", "sequenceId" FROM inserted`;
}

async function logRefusals(
  tx: Tx,
  refusals: { pair: EnrollPair; reason: EnrollRefusal }[],
  duplicates: { pair: EnrollPair; enrollmentId: string | null }[],
  source: string,
) {
  const data: Prisma.EnrollmentEventCreateManyInput[] = [
    ...refusals.map(({ pair, reason }) => ({ type: "enrollment_refused" as const, contactId: pair.contactId, sequenceId: pair.sequenceId, reason, data: { source } })),
    ...duplicates.map(({ pair, enrollmentId }) => ({
      type: "duplicate_refused" as const,
      contactId: pair.contactId,
      sequenceId: pair.sequenceId,
      enrollmentId,
      reason: "already_enrolled",
      data: { source },
    })),
  ];
  if (data.length > 0) await tx.enrollmentEvent.createMany({ data });
}
