import { z } from "zod";
import { now as currentTime } from "../clock";
import { Prisma, type Db, type Tx } from "../db/prisma";
import { idArray, intArray } from "../db/sql";
import { publishEvents, type OutgoingEvent } from "../events/publish";
import type { DelayUnit } from "../generated/prisma/enums";
import { assertIds } from "../validations/ids";
import { parseOrThrow } from "../validations/parse";
import type { EnrollResult } from "./enroll-contact";
import { enrollVerdict, isLoggableRefusal, MAILABLE_CONTACT, type ContactFacts, type EnrollRefusal, type SequenceFacts as VerdictFacts } from "./enroll-verdict";
import type { TExitReason } from "./exit-reasons";
import type { TReentryPolicy } from "./reentry";
import { enrollmentStartedEvent, startEvents } from "./run-events";
import { dueAt } from "./schedule";
import { ZEnrollmentSource, type EnrollmentSource } from "./triggers";

export type EnrollPair = { contactId: string; sequenceId: string; triggerId?: string | null };

const ZEnrollManyInput = z.object({ pairs: z.array(z.unknown()), source: ZEnrollmentSource });

const PUBLISH_CHUNK = 500;
/** Tens of thousands of pairs take seconds on a slow disk; Prisma's default (5 s) is too tight. */
export const BULK_TRANSACTION_TIMEOUT_MS = 120_000;

type Candidate = Required<Pick<EnrollPair, "contactId" | "sequenceId">> & { triggerId: string | null; dueAt: Date; firstStepId: string | null };
type SequenceFacts = VerdictFacts & { exitOnReply: boolean };

/**
 * enrollContact for many (contact, sequence) pairs at once, for bulk tagging:
 * a handful of set-based statements in one transaction instead of a
 * transaction per pair. It applies enrollContact's rules in the same order
 * (enrollVerdict), logs the same events, and relies on the
 * same partial unique index, so the two can race without duplicates.
 * Returns one result per input pair, in order; a pair repeated in the input
 * gets what a second enrollContact call would.
 */
export async function enrollMany(db: Db, input: { pairs: EnrollPair[]; source: EnrollmentSource }): Promise<EnrollResult[]> {
  const { source } = parseOrThrow(ZEnrollManyInput, input);
  const pairs = validPairs(input.pairs);
  if (pairs.length === 0) return [];

  const unique = [...new Map(pairs.map((pair) => [pairKey(pair), pair] as const)).values()];

  const { results, started } = await db.$transaction((tx) => enrollPairs(tx, unique, source), { timeout: BULK_TRANSACTION_TIMEOUT_MS });
  await publishStarted(started);

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

/** The key of enrollPairs' results. */
export const pairKey = (pair: { contactId: string; sequenceId: string }) => `${pair.contactId}|${pair.sequenceId}`;

/**
 * After commit, in chunks: a run starts only for an enrollment that exists.
 * Enrollments of one sequence made together share cohort runs (startEvents).
 */
export async function publishStarted(started: OutgoingEvent[]): Promise<void> {
  const events = startEvents(started);
  for (let i = 0; i < events.length; i += PUBLISH_CHUNK) await publishEvents(events.slice(i, i + PUBLISH_CHUNK));
}

/**
 * enrollMany's work inside the caller's transaction, for pairs without
 * repeats: one read (and lock) and one write statement whatever the number
 * of pairs. The caller publishes `started` (publishStarted) after its commit.
 */
export async function enrollPairs(tx: Tx, pairs: EnrollPair[], source: EnrollmentSource): Promise<{ results: Map<string, EnrollResult>; started: OutgoingEvent[] }> {
  const contactIds = [...new Set(pairs.map((p) => p.contactId))].sort();
  const sequenceIds = [...new Set(pairs.map((p) => p.sequenceId))].sort();

  const { unmailable, sequenceById, firstStepOf, latest } = await readFacts(tx, contactIds, sequenceIds);
  const now = currentTime();
  // Every pair of a sequence is due at the same time: compute it once per sequence.
  const dueBySequence = new Map<string, Date>();
  const dueFor = (sequenceId: string) => {
    let due = dueBySequence.get(sequenceId);
    if (!due) {
      const firstStep = firstStepOf.get(sequenceId);
      due = firstStep ? dueAt(now, firstStep) : now;
      dueBySequence.set(sequenceId, due);
    }
    return due;
  };

  const results = new Map<string, EnrollResult>();
  const refusals: { pair: EnrollPair; reason: EnrollRefusal }[] = [];
  const duplicates: { pair: EnrollPair; enrollmentId: string | null }[] = [];
  const candidates: Candidate[] = [];

  for (const pair of pairs) {
    const key = pairKey(pair);
    const verdict = enrollVerdict(unmailable.get(pair.contactId) ?? MAILABLE_CONTACT, sequenceById.get(pair.sequenceId), latest.get(key));
    if (verdict.kind === "refused") {
      results.set(key, { outcome: "refused", reason: verdict.reason });
      if (isLoggableRefusal(verdict.reason)) refusals.push({ pair, reason: verdict.reason });
    } else if (verdict.kind === "live") {
      results.set(key, { outcome: "already_enrolled", enrollmentId: verdict.enrollmentId });
      duplicates.push({ pair, enrollmentId: verdict.enrollmentId });
    } else {
      candidates.push({
        contactId: pair.contactId,
        sequenceId: pair.sequenceId,
        triggerId: pair.triggerId ?? null,
        dueAt: dueFor(pair.sequenceId),
        firstStepId: firstStepOf.get(pair.sequenceId)?.id ?? null,
      });
    }
  }

  const inserted = await writeEnrollments(tx, { candidates, refusals, duplicates, source, now });
  const insertedByKey = new Map(inserted.map(([id, contactId, sequenceId]) => [pairKey({ contactId, sequenceId }), id]));
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
    const racedDuplicates = raced.map((pair) => ({ pair, enrollmentId: live.get(pairKey(pair))?.id ?? null }));
    for (const { pair, enrollmentId } of racedDuplicates) results.set(pairKey(pair), { outcome: "already_enrolled", enrollmentId });
    await writeEnrollments(tx, { candidates: [], refusals: [], duplicates: racedDuplicates, source, now });
  }
  return { results, started };
}

type FirstStep = { id: string; delayAmount: number; delayUnit: DelayUnit };
type LatestEnrollment = { id: string; contactId: string; sequenceId: string; status: string; exitReason: TExitReason | null };

/**
 * What enrollContact's checks read, in one statement: the contacts, locked
 * FOR SHARE as enrollContact does (an opt-out, FOR UPDATE, either committed
 * before and is seen, or waits for this transaction and then ends what it
 * made); the sequences with their first live step; and the most recent
 * enrollment of each pair. Only missing or unmailable contacts come back,
 * since a bulk call's contacts are mostly fine; JSON keeps tens of
 * thousands of rows cheap to bring back.
 */
async function readFacts(tx: Tx, contactIds: string[], sequenceIds: string[]) {
  const [row] = await tx.$queryRaw<{ contacts: string; sequences: string; latest: string }[]>`
    WITH ids AS MATERIALIZED (SELECT unnest(${idArray(contactIds)}) AS "id"),
    locked AS MATERIALIZED (
      SELECT c."id", c."status", c."deletedAt" FROM "Contact" c JOIN ids ON ids."id" = c."id"
      ORDER BY c."id" FOR SHARE OF c
    )
    SELECT
      (SELECT coalesce(json_agg(json_build_array(ids."id", l."id" IS NOT NULL, l."status", l."deletedAt" IS NOT NULL)), '[]')
       FROM ids LEFT JOIN locked l ON l."id" = ids."id"
       WHERE l."id" IS NULL OR l."status" <> 'subscribed' OR l."deletedAt" IS NOT NULL)::text AS "contacts",
      (SELECT coalesce(json_agg(json_build_array(s."id", s."status", s."reentryPolicy", s."exitOnReply", f."delayAmount", f."delayUnit", f."id")), '[]')
       FROM "Sequence" s
       LEFT JOIN LATERAL (
         SELECT st."id", st."delayAmount", st."delayUnit" FROM "SequenceStep" st
         WHERE st."sequenceId" = s."id" AND st."deletedAt" IS NULL ORDER BY st."position" ASC, st."createdAt" ASC LIMIT 1
       ) f ON true
       WHERE s."id" = ANY(${idArray(sequenceIds)}))::text AS "sequences",
      (SELECT coalesce(json_agg(json_build_array(l."id", l."contactId", l."sequenceId", l."status", l."exitReason")), '[]')
       FROM (${latestSql(contactIds, sequenceIds)}) l)::text AS "latest"`;

  const unmailable = new Map<string, ContactFacts>();
  for (const [id, found, status, deleted] of JSON.parse(row.contacts) as [string, boolean, string | null, boolean | null][]) {
    unmailable.set(id, { found, status: status ?? "", deleted: deleted === true });
  }
  type SequenceRow = [string, string, TReentryPolicy, boolean, number | null, DelayUnit | null, string | null];
  const sequenceById = new Map<string, SequenceFacts>();
  const firstStepOf = new Map<string, FirstStep>();
  for (const [id, status, reentryPolicy, exitOnReply, delayAmount, delayUnit, stepId] of JSON.parse(row.sequences) as SequenceRow[]) {
    sequenceById.set(id, { status, reentryPolicy, exitOnReply });
    if (delayAmount !== null && delayUnit !== null && stepId !== null) firstStepOf.set(id, { id: stepId, delayAmount, delayUnit });
  }
  const latest = new Map<string, LatestEnrollment>();
  for (const [id, contactId, sequenceId, status, exitReason] of JSON.parse(row.latest) as [string, string, string, string, TExitReason | null][]) {
    latest.set(pairKey({ contactId, sequenceId }), { id, contactId, sequenceId, status, exitReason });
  }
  return { unmailable, sequenceById, firstStepOf, latest };
}

function latestSql(contactIds: string[], sequenceIds: string[]) {
  return Prisma.sql`
    SELECT DISTINCT ON (e."contactId", e."sequenceId") e."id", e."contactId", e."sequenceId", e."status"::text AS "status", e."exitReason"::text AS "exitReason"
    FROM "Enrollment" e
    WHERE e."contactId" = ANY(${idArray(contactIds)}) AND e."sequenceId" = ANY(${idArray(sequenceIds)})
    ORDER BY e."contactId", e."sequenceId", e."enrolledAt" DESC`;
}

/** The most recent enrollment of each (contact, sequence) pair (what enrollContact's re-entry check reads). */
async function latestEnrollments(tx: Tx, contactIds: string[], sequenceIds: string[]) {
  const rows = await tx.$queryRaw<LatestEnrollment[]>(latestSql(contactIds, sequenceIds));
  return new Map(rows.map((row) => [pairKey(row), row]));
}

type Refusal = { pair: EnrollPair; reason: EnrollRefusal };
type Duplicate = { pair: EnrollPair; enrollmentId: string | null };

/**
 * One statement: the enrollments, their "enrolled" events, and the refusal
 * and duplicate events (the same rows enrollContact logs). Pairs sharing a
 * sequence, trigger and due time are sent as a small group table plus an
 * index per contact, to keep the parameters small. Returns the inserted
 * enrollments as [id, contactId, sequenceId].
 */
async function writeEnrollments(
  tx: Tx,
  input: { candidates: Candidate[]; refusals: Refusal[]; duplicates: Duplicate[]; source: string; now: Date },
): Promise<[string, string, string][]> {
  const { candidates, source } = input;
  const logged = [
    ...input.refusals.map(({ pair, reason }) => ({ type: "enrollment_refused", pair, enrollmentId: null, reason: reason as string })),
    ...input.duplicates.map(({ pair, enrollmentId }) => ({ type: "duplicate_refused", pair, enrollmentId, reason: "already_enrolled" })),
  ];
  if (candidates.length === 0 && logged.length === 0) return [];
  // Sorted so that two overlapping bulk enrollments take index locks in the
  // same order (opposite orders can deadlock on the unique index).
  const sorted = candidates.map((c) => ({ key: pairKey(c), c })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const groups = new Map<string, number>();
  const groupOf = sorted.map(({ c }) => {
    const key = `${c.sequenceId}|${c.triggerId ?? ""}|${c.dueAt.getTime()}|${c.firstStepId ?? ""}`;
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = groups.size + 1));
    return group;
  });
  const groupRows = [...groups.keys()]
    .map((key) => key.split("|"))
    .map(([sequenceId, triggerId, due, firstStepId]) => [sequenceId, triggerId, new Date(Number(due)).toISOString(), firstStepId]);
  // ISO strings cast to timestamp keep the UTC wall time, as Prisma stores it.
  const at = input.now.toISOString();

  const [{ rows }] = await tx.$queryRaw<{ rows: string }[]>`
    WITH inserted AS (
      INSERT INTO "Enrollment" ("id", "contactId", "sequenceId", "status", "source", "triggerId", "enrolledAt", "nextStepDueAt", "nextStepId", "updatedAt")
      SELECT gen_random_uuid()::text, p."contactId", g."sequenceId", 'active'::"EnrollmentStatus", ${source}, NULLIF(g."triggerId", ''),
             ${at}::timestamp(3), g."dueAt"::timestamp(3), NULLIF(g."firstStepId", ''), ${at}::timestamp(3)
      FROM unnest(${idArray(sorted.map(({ c }) => c.contactId))}, ${intArray(groupOf)}) WITH ORDINALITY AS p("contactId", "group", "ord")
      JOIN unnest(${groupRows.map((g) => g[0])}::text[], ${groupRows.map((g) => g[1])}::text[], ${groupRows.map((g) => g[2])}::text[], ${groupRows.map((g) => g[3])}::text[])
           WITH ORDINALITY AS g("sequenceId", "triggerId", "dueAt", "firstStepId", "group") ON g."group" = p."group"
      ORDER BY p."ord"
      ON CONFLICT ("contactId", "sequenceId") WHERE "status" IN ('active', 'paused') DO NOTHING
      RETURNING "id", "contactId", "sequenceId", "triggerId"
    ), enrolled AS (
      INSERT INTO "EnrollmentEvent" ("type", "contactId", "sequenceId", "enrollmentId", "reason", "data", "createdAt")
      SELECT 'enrolled'::"EnrollmentEventType", i."contactId", i."sequenceId", i."id", ${source},
             CASE WHEN i."triggerId" IS NULL THEN NULL ELSE jsonb_build_object('triggerId', i."triggerId") END,
             ${at}::timestamp(3)
      FROM inserted i
    ), refused AS (
      INSERT INTO "EnrollmentEvent" ("type", "contactId", "sequenceId", "enrollmentId", "reason", "data", "createdAt")
      SELECT r."type"::"EnrollmentEventType", r."contactId", r."sequenceId", r."enrollmentId", r."reason",
             jsonb_build_object('source', ${source}::text), ${at}::timestamp(3)
      FROM unnest(${logged.map((l) => l.type)}::text[], ${logged.map((l) => l.pair.contactId)}::text[], ${logged.map((l) => l.pair.sequenceId)}::text[],
                  ${logged.map((l) => l.enrollmentId)}::text[], ${logged.map((l) => l.reason)}::text[])
           WITH ORDINALITY AS r("type", "contactId", "sequenceId", "enrollmentId", "reason", "ord")
      ORDER BY r."ord"
    )
    SELECT coalesce(json_agg(json_build_array(i."id", i."contactId", i."sequenceId")), '[]')::text AS "rows" FROM inserted i`;
  return JSON.parse(rows) as [string, string, string][];
}
