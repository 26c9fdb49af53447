import type { Db } from "../db/prisma";
import { Prisma } from "../db/prisma";
import { PAGE_SIZE } from "../validations/common";
import { DEFAULT_SORT_DIR, type TContactFilters, type TContactListParams, type TContactSort } from "../validations/contact-list";

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
  page: number;
  pageSize: number;
  /** Exact when `totalIsCapped` is false; otherwise at least CONTACT_COUNT_CAP. */
  total: number;
  totalIsCapped: boolean;
  hasNextPage: boolean;
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

/** [id, email, firstName, lastName, leadScore, status, createdAt (epoch ms), tags, liveEnrollments] */
type Row = [string, string, string | null, string | null, number, ContactListItem["status"], number, string[], number];

/**
 * One page of contacts matching the filters, in the requested order, with
 * their tags and live enrollment counts, in one statement. The matches are
 * found once: up to CONTACT_COUNT_CAP + 1 of them give the count and, when
 * that is all of them (a search, a tag: the usual case), the page too;
 * past the cap the page is read in index order instead of sorting them all.
 */
export async function queryContactList(db: Db, params: TContactListParams, pageSize = PAGE_SIZE): Promise<ContactListPage> {
  const where = contactFilterSql(params);
  const order = contactOrderSql(params.sort, params.dir ?? DEFAULT_SORT_DIR[params.sort]);
  const offset = (params.page - 1) * pageSize;
  const columns = Prisma.sql`c."id", c."email", c."firstName", c."lastName", c."leadScore", c."status", c."createdAt"`;

  // The page as JSON rows with their tags and live enrollment counts; one
  // extra row says whether there is a next page without counting.
  const pageJson = (source: Prisma.Sql, skip: number) => Prisma.sql`
    SELECT coalesce(json_agg(json_build_array(
             c."id", c."email", c."firstName", c."lastName", c."leadScore", c."status", (extract(epoch FROM c."createdAt") * 1000)::float8,
             (SELECT coalesce(json_agg(t."name" ORDER BY t."name"), '[]') FROM "ContactTag" ct JOIN "Tag" t ON t."id" = ct."tagId" WHERE ct."contactId" = c."id"),
             (SELECT count(*) FROM "Enrollment" e WHERE e."contactId" = c."id" AND e."status" IN ('active', 'paused'))
           ) ORDER BY ${order}), '[]')::text AS "rows"
    FROM (${source} ORDER BY ${order} LIMIT ${pageSize + 1} OFFSET ${skip}) c`;

  const [first] = await db.$queryRaw<{ rows: string | null; n: number }[]>`
    WITH capped AS MATERIALIZED (
      SELECT ${columns} FROM "Contact" c WHERE ${where} LIMIT ${CONTACT_COUNT_CAP + 1}
    ), total AS (
      SELECT count(*)::int AS n FROM capped
    )
    SELECT (SELECT n FROM total) AS "n",
           CASE WHEN (SELECT n FROM total) <= ${CONTACT_COUNT_CAP} THEN (${pageJson(Prisma.sql`SELECT * FROM capped c`, offset)}) END AS "rows"`;
  const { n } = first;
  // Past the cap (a broad filter over a big list), the page is read in
  // index order from the table instead of sorting the capped matches. The
  // rows skipped to reach a deep page are found by id alone (a deferred
  // join): in the default order that is an index-only scan of
  // contact_live_created, no heap page per skipped contact
  // (docs/benchmarks.md, "Admin reads at 1M (4)").
  const rows =
    first.rows ??
    (
      await db.$queryRaw<{ rows: string }[]>`${pageJson(
        Prisma.sql`SELECT ${columns} FROM "Contact" c WHERE c."id" IN (
          SELECT c."id" FROM "Contact" c WHERE ${where} ORDER BY ${order} LIMIT ${pageSize + 1} OFFSET ${offset})`,
        0,
      )}`
    )[0].rows;

  const all = JSON.parse(rows) as Row[];
  const hasNextPage = all.length > pageSize;
  const items = all.slice(0, pageSize).map(([id, email, firstName, lastName, leadScore, status, createdAt, tags, liveEnrollments]) => ({
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
  const totalIsCapped = n > CONTACT_COUNT_CAP;
  return { items, page: params.page, pageSize, total: totalIsCapped ? CONTACT_COUNT_CAP : n, totalIsCapped, hasNextPage };
}
