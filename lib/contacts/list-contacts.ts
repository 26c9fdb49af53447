import type { Db } from "../db/prisma";
import { Prisma } from "../db/prisma";
import { PAGE_SIZE } from "../validations/common";
import { decodeContactCursor, encodeContactCursor, type TContactCursor } from "../validations/contact-cursor";
import { DEFAULT_SORT_DIR, firstPageOf, type TContactFilters, type TContactListParams, type TContactSort } from "../validations/contact-list";

/**
 * Counting stops here: past it the list says "10,000+" instead of scanning
 * every matching row on each page view.
 */
export const CONTACT_COUNT_CAP = 10_000;

export type ContactListItem = {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  leadScore: number;
  status: "subscribed" | "unsubscribed" | "bounced";
  createdAt: Date;
  tags: string[];
  liveEnrollments: number;
};

export type ContactListPage = {
  items: ContactListItem[];
  /** The page's number, when it is known cheaply: by page number, or from a cursor among at most CONTACT_COUNT_CAP matches. */
  page: number | null;
  pageSize: number;
  /** Exact when `totalIsCapped` is false; otherwise at least CONTACT_COUNT_CAP. */
  total: number;
  totalIsCapped: boolean;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  /** `after` for the Next link: the last row's position. */
  nextCursor: string | null;
  /** `before` for the Previous link; null when Previous is the first page (linked without a cursor) or there is none. */
  previousCursor: string | null;
};

/** LIKE treats % and _ as wildcards; a search for "50%" means the text. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

// The same expressions as the suggested trigram and sort indexes (see the
// contacts docs), so that adding those indexes needs no query change.
const EMAIL_SEARCH = Prisma.sql`lower(c."email")`;
const NAME_SEARCH = Prisma.sql`lower(coalesce(c."firstName", '') || ' ' || coalesce(c."lastName", ''))`;
/** What the list shows as the name (contactName): the full name, else the email. */
const DISPLAY_NAME = Prisma.sql`lower(coalesce(nullif(btrim(coalesce(c."firstName", '') || ' ' || coalesce(c."lastName", '')), ''), c."email"))`;

/** The WHERE clause for a set of filters; deleted contacts never match. */
export function contactFilterSql(filters: TContactFilters): Prisma.Sql {
  const conditions = [Prisma.sql`c."deletedAt" IS NULL`];
  if (filters.q) {
    const pattern = `%${escapeLike(filters.q.toLowerCase())}%`;
    conditions.push(Prisma.sql`(${EMAIL_SEARCH} LIKE ${pattern} OR ${NAME_SEARCH} LIKE ${pattern})`);
  }
  if (filters.status) conditions.push(Prisma.sql`c."status" = ${filters.status}::"ContactStatus"`);
  if (filters.tag) {
    // The trigger-kept copy of the contact's tags: in one GIN index with the search's trigrams (contact_search), so a search and a tag are intersected inside the index.
    conditions.push(Prisma.sql`c."tagIds" @> ARRAY[${filters.tag}]::text[]`);
  }
  if (filters.sequence) {
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "Enrollment" e WHERE e."contactId" = c."id" AND e."sequenceId" = ${filters.sequence} AND e."status" IN ('active', 'paused'))`);
  }
  if (filters.scoreMin !== undefined) conditions.push(Prisma.sql`c."leadScore" >= ${filters.scoreMin}`);
  if (filters.scoreMax !== undefined) conditions.push(Prisma.sql`c."leadScore" <= ${filters.scoreMax}`);
  return Prisma.join(conditions, " AND ");
}

/** ORDER BY with the id as tie-breaker, so that pages never overlap or skip. */
export function contactOrderSql(sort: TContactSort, dir: "asc" | "desc"): Prisma.Sql {
  const d = dir === "asc" ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  switch (sort) {
    case "created":
      return Prisma.sql`c."createdAt" ${d}, c."id" ${d}`;
    case "email":
      return Prisma.sql`c."email" ${d}`;
    case "name":
      return Prisma.sql`${DISPLAY_NAME} ${d}, c."id" ${d}`;
    case "score":
      return Prisma.sql`c."leadScore" ${d}, c."id" ${d}`;
  }
}

/** A row's sort key as the page returns it, for its cursor (the database's own lower(), not JavaScript's). */
function sortKeySql(sort: TContactSort): Prisma.Sql {
  switch (sort) {
    case "created":
      return Prisma.sql`(extract(epoch FROM c."createdAt") * 1000)::float8`;
    case "email":
      return Prisma.sql`c."email"`;
    case "name":
      return DISPLAY_NAME;
    case "score":
      return Prisma.sql`c."leadScore"`;
  }
}

/**
 * The rows on one side of a cursor in the list's order: the same columns
 * and expressions as the ORDER BY, compared as one row value, so that the
 * sort's index (contact_live_created, Contact_email_key,
 * contact_display_name, contact_score) is read as a range starting at the
 * cursor. Email is unique, so it alone orders and compares.
 */
export function contactKeysetSql(cursor: TContactCursor, dir: "asc" | "desc", side: "after" | "before"): Prisma.Sql {
  const op = (dir === "asc") === (side === "after") ? Prisma.sql`>` : Prisma.sql`<`;
  switch (cursor.sort) {
    case "created":
      // timestamp(3) holds UTC wall time (Prisma's convention); an ISO string's "Z" is ignored by the cast.
      return Prisma.sql`(c."createdAt", c."id") ${op} (${new Date(cursor.key as number).toISOString()}::timestamp(3), ${cursor.id}::text)`;
    case "email":
      return Prisma.sql`c."email" ${op} ${cursor.key as string}::text`;
    case "name":
      return Prisma.sql`(${DISPLAY_NAME}, c."id") ${op} (${cursor.key as string}::text, ${cursor.id}::text)`;
    case "score":
      return Prisma.sql`(c."leadScore", c."id") ${op} (${cursor.key as number}::int, ${cursor.id}::text)`;
  }
}

/** [id, email, firstName, lastName, leadScore, status, createdAt (epoch ms), tags, liveEnrollments, sort key] */
type Row = [string, string, string | null, string | null, number, ContactListItem["status"], number, string[], number, number | string];

/** Where the page starts: an offset (page numbers, the first page) or a cursor and the side of it to read. */
type Position = { kind: "offset"; offset: number } | { kind: "cursor"; cursor: TContactCursor; side: "after" | "before" };

function positionOf(params: TContactListParams, pageSize: number): Position {
  for (const side of ["after", "before"] as const) {
    const text = params[side];
    const cursor = text === undefined ? null : decodeContactCursor(text);
    if (cursor && cursor.sort === params.sort) return { kind: "cursor", cursor, side };
  }
  return { kind: "offset", offset: (params.page - 1) * pageSize };
}

/**
 * The list's statements for a page: `counted` finds up to
 * CONTACT_COUNT_CAP + 1 matches, counts them and, when that is all of them
 * (a search, a tag: the usual case), cuts the page from them (and counts
 * where it starts, for its number); `pastCap`, run only when there are
 * more, reads the page in index order from the table instead of sorting
 * them all. From a cursor that is a range scan of the sort's index
 * starting at its key (docs/benchmarks.md, "Contacts list, keyset pages"),
 * so a deep page costs what the first does. By page number (a URL with
 * ?page=) the rows skipped to reach it are found by id alone (a deferred
 * join): in the default order an index-only scan of contact_live_created,
 * but still one index entry per skipped row.
 */
export function contactListStatements(params: TContactListParams, pageSize = PAGE_SIZE) {
  const where = contactFilterSql(params);
  const dir = params.dir ?? DEFAULT_SORT_DIR[params.sort];
  const order = contactOrderSql(params.sort, dir);
  const position = positionOf(params, pageSize);
  const backwards = position.kind === "cursor" && position.side === "before";
  // Previous reads the rows before the cursor nearest first, then shows them in the list's order.
  const readOrder = backwards ? contactOrderSql(params.sort, dir === "asc" ? "desc" : "asc") : order;
  const keyset = position.kind === "cursor" ? contactKeysetSql(position.cursor, dir, position.side) : Prisma.sql`TRUE`;
  const skip = position.kind === "offset" ? position.offset : 0;
  const columns = Prisma.sql`c."id", c."email", c."firstName", c."lastName", c."leadScore", c."status", c."createdAt"`;

  // The page as JSON rows with their tags, live enrollment counts and sort
  // keys; one extra row says whether there is a page beyond without counting.
  const pageJson = (source: Prisma.Sql, offset: number) => Prisma.sql`
    SELECT coalesce(json_agg(json_build_array(
             c."id", c."email", c."firstName", c."lastName", c."leadScore", c."status", (extract(epoch FROM c."createdAt") * 1000)::float8,
             (SELECT coalesce(json_agg(t."name" ORDER BY t."name"), '[]') FROM "ContactTag" ct JOIN "Tag" t ON t."id" = ct."tagId" WHERE ct."contactId" = c."id"),
             (SELECT count(*) FROM "Enrollment" e WHERE e."contactId" = c."id" AND e."status" IN ('active', 'paused')),
             ${sortKeySql(params.sort)}
           ) ORDER BY ${order}), '[]')::text AS "rows"
    FROM (${source} ORDER BY ${readOrder} LIMIT ${pageSize + 1} OFFSET ${offset}) c`;
  // Among the capped matches, how many come before the cursor (after: the
  // cursor's row included): where the page starts, for its number.
  const before =
    position.kind === "cursor"
      ? Prisma.sql`(SELECT count(*)::int FROM capped c WHERE ${position.side === "after" ? Prisma.sql`NOT (${keyset})` : keyset})`
      : Prisma.sql`NULL::int`;

  const counted = Prisma.sql`
    WITH capped AS MATERIALIZED (
      SELECT ${columns} FROM "Contact" c WHERE ${where} LIMIT ${CONTACT_COUNT_CAP + 1}
    ), total AS (
      SELECT count(*)::int AS n FROM capped
    )
    SELECT (SELECT n FROM total) AS "n",
           CASE WHEN (SELECT n FROM total) <= ${CONTACT_COUNT_CAP} THEN (${pageJson(Prisma.sql`SELECT * FROM capped c WHERE ${keyset}`, skip)}) END AS "rows",
           CASE WHEN (SELECT n FROM total) <= ${CONTACT_COUNT_CAP} THEN ${before} END AS "before"`;
  const pastCap =
    position.kind === "cursor"
      ? pageJson(Prisma.sql`SELECT ${columns} FROM "Contact" c WHERE ${where} AND ${keyset}`, 0)
      : pageJson(
          Prisma.sql`SELECT ${columns} FROM "Contact" c WHERE c."id" IN (
            SELECT c."id" FROM "Contact" c WHERE ${where} ORDER BY ${order} LIMIT ${pageSize + 1} OFFSET ${skip})`,
          0,
        );
  // Counted without keeping the matches, and the page read from the sort's
  // index when they are more than the cap, in one statement; when they are
  // not, `counted` follows (rows is null). For lists filtered by columns
  // alone (status, score) or not at all, usually the whole big list: the
  // capped matches' columns cost more to keep (~9 ms for 10,001 rows at
  // 100k contacts) than the page costs to read, and cutting a page from
  // them serves only lists of 10,000 or fewer, where scanning twice is cheap.
  const lean = Prisma.sql`
    WITH total AS (SELECT count(*)::int AS n FROM (SELECT 1 FROM "Contact" c WHERE ${where} LIMIT ${CONTACT_COUNT_CAP + 1}) x)
    SELECT n AS "n", CASE WHEN n > ${CONTACT_COUNT_CAP} THEN (${pastCap}) END AS "rows", NULL::int AS "before" FROM total`;
  // A search, a tag or a sequence is found through an index and usually
  // matches few: found once (counted), the page is cut from them.
  const leanFirst = !params.q && !params.tag && !params.sequence;
  return { position, backwards, skip, first: leanFirst ? lean : counted, counted, pastCap };
}

/**
 * One page of contacts matching the filters, in the requested order, with
 * their tags and live enrollment counts (contactListStatements): its
 * cursors for Next and Previous, and its number when that is cheap.
 */
export async function queryContactList(db: Db, params: TContactListParams, pageSize = PAGE_SIZE): Promise<ContactListPage> {
  const statements = contactListStatements(params, pageSize);
  const { position, backwards, skip, counted, pastCap } = statements;
  type Counted = { rows: string | null; n: number; before: number | null };
  let [first] = await db.$queryRaw<Counted[]>(statements.first);
  // A lean count found no more than the cap: the page is cut from the matches (and its number counted among them).
  if (statements.first !== counted && first.rows === null) [first] = await db.$queryRaw<Counted[]>(counted);
  const { n } = first;
  const totalIsCapped = n > CONTACT_COUNT_CAP;
  const rows = first.rows ?? (await db.$queryRaw<{ rows: string }[]>(pastCap))[0].rows;

  const all = JSON.parse(rows) as Row[];
  const more = all.length > pageSize;
  // Previous read pageSize + 1 rows nearest first; the extra one is the earliest.
  const shown = backwards ? all.slice(Math.max(0, all.length - pageSize)) : all.slice(0, pageSize);
  // Previous from near the start finds less than a page: the first page is shown instead, whole.
  if (backwards && !more) return queryContactList(db, firstPageOf(params), pageSize);

  const items = shown.map(([id, email, firstName, lastName, leadScore, status, createdAt, tags, liveEnrollments]) => ({
    id,
    email,
    firstName,
    lastName,
    leadScore,
    status,
    createdAt: new Date(createdAt),
    tags,
    liveEnrollments,
  }));
  const cursorOf = (row: Row | undefined) => (row ? encodeContactCursor({ sort: params.sort, key: row[9], id: row[0] }) : null);

  // Where the page starts among the matches, when that is known cheaply:
  // an offset, or a cursor counted among the capped matches.
  const start = position.kind === "offset" ? skip : first.before === null ? null : position.side === "after" ? first.before : first.before - shown.length;
  const hasPreviousPage = start !== null ? start > 0 : position.kind === "cursor";
  const hasNextPage = backwards ? (first.before !== null ? first.before < n : true) : more;
  return {
    items,
    page: start === null ? null : Math.floor(start / pageSize) + 1,
    pageSize,
    total: totalIsCapped ? CONTACT_COUNT_CAP : n,
    totalIsCapped,
    hasNextPage,
    hasPreviousPage,
    nextCursor: hasNextPage ? cursorOf(shown.at(-1)) : null,
    // Back to the first page: its own URL (no cursor), so it is the same page whatever was added since.
    previousCursor: hasPreviousPage && start !== null && start <= pageSize ? null : hasPreviousPage ? cursorOf(shown[0]) : null,
  };
}
