import "server-only";
/**
 * Reading the audit log: pages newest first, keyed by id (the log only
 * grows, so ids follow time), and the same rows as a CSV export.
 */
import type { Db } from "../db/prisma";
import type { Prisma } from "../generated/prisma/client";
import { csvLine } from "../contacts/csv";
import { AUDIT_ACTOR_TYPE_WORDINGS } from "../wordings";
import type { TAuditFilters, TAuditParams } from "../validations/audit";
import { auditActionWording } from "./actions";

export const AUDIT_PAGE_SIZE = 50;
const EXPORT_BATCH = 1_000;

const dayStart = (day: string) => new Date(`${day}T00:00:00.000Z`);
const dayAfter = (day: string) => new Date(dayStart(day).getTime() + 86_400_000);

function whereOf(f: TAuditFilters): Prisma.AuditEventWhereInput {
  return {
    ...(f.actor ? { actorId: f.actor } : {}),
    ...(f.action ? { action: f.action } : {}),
    ...(f.object ? { objectType: f.object } : {}),
    ...(f.objectId ? { objectId: f.objectId } : {}),
    ...(f.from || f.to ? { createdAt: { ...(f.from ? { gte: dayStart(f.from) } : {}), ...(f.to ? { lt: dayAfter(f.to) } : {}) } } : {}),
  };
}

export type AuditRow = Awaited<ReturnType<typeof listAuditEvents>>["items"][number];

/** One page of the log; `before`/`after` are the cursors of the older/newer pages. */
export async function listAuditEvents(db: Db, params: TAuditParams) {
  const { before, after, ...filters } = params;
  const newer = Boolean(after && !before);
  const rows = await db.auditEvent.findMany({
    where: { ...whereOf(filters), ...(before ? { id: { lt: BigInt(before) } } : after ? { id: { gt: BigInt(after) } } : {}) },
    orderBy: { id: newer ? "asc" : "desc" },
    take: AUDIT_PAGE_SIZE + 1,
  });
  const more = rows.length > AUDIT_PAGE_SIZE;
  const page = rows.slice(0, AUDIT_PAGE_SIZE);
  if (newer) page.reverse();
  const items = page.map((r) => ({ ...r, id: String(r.id) }));
  const first = items[0]?.id ?? null;
  const last = items.at(-1)?.id ?? null;
  return {
    items,
    newerCursor: (newer ? more : Boolean(before)) ? first : null,
    olderCursor: (newer ? true : more) ? last : null,
  };
}

/** Everyone who has acted, for the filter. */
export async function auditActors(db: Db): Promise<{ id: string; label: string }[]> {
  const rows = await db.auditEvent.findMany({ distinct: ["actorId"], select: { actorId: true, actorLabel: true }, orderBy: { actorId: "asc" } });
  return rows.map((r) => ({ id: r.actorId, label: r.actorLabel })).sort((a, b) => a.label.localeCompare(b.label));
}

const HEADER = ["id", "time", "actor type", "actor id", "actor", "action", "object type", "object id", "object", "detail", "ip", "user agent", "before", "after"];

/** The filtered log as CSV, in batches, oldest first. */
export async function* exportAuditCsv(db: Db, filters: TAuditFilters): AsyncGenerator<string> {
  yield csvLine(HEADER);
  let cursor: bigint | undefined;
  for (;;) {
    const rows = await db.auditEvent.findMany({
      where: { ...whereOf(filters), ...(cursor !== undefined ? { id: { gt: cursor } } : {}) },
      orderBy: { id: "asc" },
      take: EXPORT_BATCH,
    });
    if (rows.length === 0) return;
    yield rows
      .map((r) =>
        csvLine([
          String(r.id),
          r.createdAt.toISOString(),
          AUDIT_ACTOR_TYPE_WORDINGS[r.actorType],
          r.actorId,
          r.actorLabel,
          auditActionWording(r.action),
          r.objectType,
          r.objectId,
          r.objectLabel,
          r.detail,
          r.ip,
          r.userAgent,
          r.before === null ? "" : JSON.stringify(r.before),
          r.after === null ? "" : JSON.stringify(r.after),
        ]),
      )
      .join("");
    cursor = rows.at(-1)!.id;
  }
}
