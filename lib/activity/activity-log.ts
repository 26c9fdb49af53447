/**
 * The enrollment event log, filtered and paged by keyset: newest first, in
 * (createdAt, id) order, so a page costs the same at event 50 and at event
 * 1,000,000 (indexes in migration *_activity_log_indexes). No total count:
 * counting a million-row log on every page view is what this avoids.
 */
import type { Db } from "../db/prisma";
import { Prisma } from "../db/prisma";
import { escapeLike } from "../contacts/list-contacts";
import { idArray } from "../db/sql";
import type { TActivityFilters, TActivityParams } from "../validations/activity";
import { eventReasonWording, eventTypeWording } from "../wordings";
import { csvLine } from "../contacts/csv";

export const ACTIVITY_PAGE_SIZE = 50;
/** A search names contacts; past this many matches it asks for a narrower one. */
export const SEARCH_CONTACT_CAP = 1_000;
const EXPORT_BATCH = 1_000;

export type ActivityRow = {
  id: string;
  type: string;
  reason: string | null;
  createdAt: Date;
  contactId: string;
  contactEmail: string;
  sequenceId: string;
  sequenceName: string;
  stepSubject: string | null;
  enrollmentId: string | null;
  stepId: string | null;
};

export type ActivityItem = ActivityRow & { messageId: string | null };
export type ActivityPage = { items: ActivityItem[]; newerCursor: string | null; olderCursor: string | null };

const dayStart = (day: string) => new Date(`${day}T00:00:00.000Z`);
const dayAfter = (day: string) => new Date(dayStart(day).getTime() + 86_400_000);

/** The WHERE conditions of a set of filters, on "EnrollmentEvent" e. */
export function activityFilterSql(f: TActivityFilters): Prisma.Sql {
  const conditions = [Prisma.sql`TRUE`];
  if (f.sequence) conditions.push(Prisma.sql`e."sequenceId" = ${f.sequence}`);
  if (f.contact) conditions.push(Prisma.sql`e."contactId" = ${f.contact}`);
  if (f.type) conditions.push(Prisma.sql`e."type" = ${f.type}::"EnrollmentEventType"`);
  if (f.from) conditions.push(Prisma.sql`e."createdAt" >= ${dayStart(f.from)}`);
  if (f.to) conditions.push(Prisma.sql`e."createdAt" < ${dayAfter(f.to)}`);
  if (f.q) {
    // The contacts first (few), then their events by the (contactId, createdAt) index.
    const pattern = `%${escapeLike(f.q.toLowerCase())}%`;
    conditions.push(Prisma.sql`e."contactId" = ANY (ARRAY(
      SELECT c."id" FROM "Contact" c
      WHERE lower(c."email") LIKE ${pattern} OR lower(coalesce(c."firstName", '') || ' ' || coalesce(c."lastName", '')) LIKE ${pattern}
      LIMIT ${SEARCH_CONTACT_CAP}))`);
  }
  return Prisma.join(conditions, " AND ");
}

/** The SQL of one keyset page (exported for the benchmark's EXPLAIN). */
export function activityPageSql(where: Prisma.Sql, direction: "older" | "newer", cursor: string | undefined, limit: number): Prisma.Sql {
  const keyset = cursor
    ? direction === "older"
      ? Prisma.sql`AND (e."createdAt", e."id") < (SELECT k."createdAt", k."id" FROM "EnrollmentEvent" k WHERE k."id" = ${cursor}::bigint)`
      : Prisma.sql`AND (e."createdAt", e."id") > (SELECT k."createdAt", k."id" FROM "EnrollmentEvent" k WHERE k."id" = ${cursor}::bigint)`
    : Prisma.empty;
  const order = direction === "older" ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  // The page's rows first, by index; names joined to those rows only.
  return Prisma.sql`
    SELECT e."id"::text AS "id", e."type"::text AS "type", e."reason", e."createdAt", e."contactId", c."email" AS "contactEmail",
           e."sequenceId", s."name" AS "sequenceName", st."subject" AS "stepSubject", e."enrollmentId", e."stepId"
    FROM (
      SELECT e.* FROM "EnrollmentEvent" e
      WHERE ${where} ${keyset}
      ORDER BY e."createdAt" ${order}, e."id" ${order}
      LIMIT ${limit}
    ) e
    JOIN "Contact" c ON c."id" = e."contactId"
    JOIN "Sequence" s ON s."id" = e."sequenceId"
    LEFT JOIN "SequenceStep" st ON st."id" = e."stepId"
    ORDER BY e."createdAt" ${order}, e."id" ${order}`;
}

function selectEvents(db: Db, where: Prisma.Sql, direction: "older" | "newer", cursor: string | undefined, limit: number): Promise<ActivityRow[]> {
  return db.$queryRaw<ActivityRow[]>(activityPageSql(where, direction, cursor, limit));
}

/** The caught copy of each sent step shown (the Sent mail page's id), when the mail catcher has one. */
async function sentMessageIds(db: Db, rows: ActivityRow[]): Promise<Map<string, string>> {
  const sent = rows.filter((r) => r.type === "step_sent" && r.enrollmentId && r.stepId);
  if (sent.length === 0) return new Map();
  const found = await db.$queryRaw<{ enrollmentId: string; stepId: string; id: string }[]>`
    SELECT s."enrollmentId", s."stepId", m."id"
    FROM unnest(${idArray(sent.map((r) => r.enrollmentId!))}, ${idArray(sent.map((r) => r.stepId!))}) AS k("enrollmentId", "stepId")
    JOIN "StepSend" s ON s."enrollmentId" = k."enrollmentId" AND s."stepId" = k."stepId"
    JOIN "CaughtMessage" m ON m."messageId" = s."messageId"`;
  return new Map(found.map((f) => [`${f.enrollmentId}/${f.stepId}`, f.id]));
}

/** One page of the log: `before` pages to older events, `after` to newer ones. */
export async function listActivityPage(db: Db, params: TActivityParams, pageSize = ACTIVITY_PAGE_SIZE): Promise<ActivityPage> {
  const where = activityFilterSql(params);
  const newer = !params.before && !!params.after;
  const fetched = await selectEvents(db, where, newer ? "newer" : "older", newer ? params.after : params.before, pageSize + 1);
  const more = fetched.length > pageSize;
  const rows = newer ? fetched.slice(0, pageSize).reverse() : fetched.slice(0, pageSize);
  const messages = await sentMessageIds(db, rows);
  const items = rows.map((r) => ({ ...r, messageId: messages.get(`${r.enrollmentId}/${r.stepId}`) ?? null }));
  const first = items[0]?.id ?? null;
  const last = items[items.length - 1]?.id ?? null;
  // Coming from a page implies events on its side; the other side is known from the extra row.
  const hasNewer = newer ? more : !!params.before;
  const hasOlder = newer ? !!params.after : more;
  return { items, newerCursor: hasNewer ? first : null, olderCursor: hasOlder ? last : null };
}

const EXPORT_HEADERS = ["time", "event", "event_code", "why", "why_code", "contact_email", "sequence", "step_subject", "event_id"];

/**
 * The events matching `filters` as CSV, newest first, in keyset batches so
 * that the response streams and memory stays flat. Cells are
 * formula-neutralized (csvLine); codes sit beside their wordings.
 */
export async function* exportActivityCsv(db: Db, filters: TActivityFilters): AsyncGenerator<string> {
  yield "\uFEFF" + csvLine(EXPORT_HEADERS);
  const where = activityFilterSql(filters);
  let cursor: string | undefined;
  while (true) {
    const rows = await selectEvents(db, where, "older", cursor, EXPORT_BATCH);
    if (rows.length === 0) return;
    yield rows
      .map((r) =>
        csvLine([r.createdAt.toISOString(), eventTypeWording(r.type), r.type, eventReasonWording(r.type, r.reason), r.reason, r.contactEmail, r.sequenceName, r.stepSubject, r.id]),
      )
      .join("");
    if (rows.length < EXPORT_BATCH) return;
    cursor = rows[rows.length - 1].id;
  }
}
