import type { Db } from "../db/prisma";
import { Prisma } from "../db/prisma";
import type { TContactFilters } from "../validations/contact-list";
import { csvLine } from "./csv";
import { contactFilterSql } from "./list-contacts";

const BATCH = 1000;
const MAX_ATTRIBUTE_COLUMNS = 100;
/** Headers our import maps back to contact fields (see guessImportColumn). */
const FIXED_HEADERS = ["email", "first_name", "last_name", "status", "lead_score", "timezone", "tags", "created_at"];

type ExportRow = {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  status: string;
  leadScore: number;
  timezone: string;
  attributes: unknown;
  createdAt: Date;
  tags: string | null;
};

/**
 * The contacts matching `filters` as CSV, yielded in pieces so that the
 * response streams and memory stays flat however many contacts match.
 * Reads in keyset order (createdAt, id): no deep OFFSET, no skipped rows.
 * Custom attributes become one column each, so the file imports back.
 */
export async function* exportContactsCsv(db: Db, filters: TContactFilters): AsyncGenerator<string> {
  const where = contactFilterSql(filters);
  const keys = await db.$queryRaw<{ key: string }[]>`
    SELECT DISTINCT jsonb_object_keys(c."attributes") AS "key"
    FROM "Contact" c WHERE ${where} AND jsonb_typeof(c."attributes") = 'object'
    ORDER BY 1 LIMIT ${MAX_ATTRIBUTE_COLUMNS}`;
  const attributeKeys = keys.map((k) => k.key);
  const headers = [...FIXED_HEADERS, ...attributeKeys.map((k) => (FIXED_HEADERS.includes(k) ? `attribute_${k}` : k))];
  yield "\uFEFF" + csvLine(headers);

  let after: { createdAt: Date; id: string } | null = null;
  while (true) {
    const cursor: Prisma.Sql = after ? Prisma.sql`AND (c."createdAt", c."id") > (${after.createdAt}, ${after.id})` : Prisma.empty;
    const rows: ExportRow[] = await db.$queryRaw<ExportRow[]>`
      SELECT c."id", c."email", c."firstName", c."lastName", c."status"::text AS "status", c."leadScore", c."timezone", c."attributes", c."createdAt",
             (SELECT string_agg(t."name", ';' ORDER BY t."name") FROM "ContactTag" ct JOIN "Tag" t ON t."id" = ct."tagId" WHERE ct."contactId" = c."id") AS "tags"
      FROM "Contact" c
      WHERE ${where} ${cursor}
      ORDER BY c."createdAt", c."id"
      LIMIT ${BATCH}`;
    if (rows.length === 0) return;
    yield rows.map((row) => csvLine(toCells(row, attributeKeys))).join("");
    if (rows.length < BATCH) return;
    const last = rows[rows.length - 1];
    after = { createdAt: last.createdAt, id: last.id };
  }
}

function toCells(row: ExportRow, attributeKeys: string[]): (string | number | null)[] {
  const attributes = row.attributes && typeof row.attributes === "object" ? (row.attributes as Record<string, unknown>) : {};
  return [
    row.email,
    row.firstName,
    row.lastName,
    row.status,
    row.leadScore,
    row.timezone,
    row.tags,
    row.createdAt.toISOString(),
    ...attributeKeys.map((key) => attributeCell(attributes[key])),
  ];
}

function attributeCell(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return value;
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}
