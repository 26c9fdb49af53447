/**
 * The audit log's filters and cursor, as URL query parameters: shared by the
 * Settings → Audit log page (a malformed value is dropped on its own) and
 * its CSV export (strict).
 */
import { parseEachParam, toQueryString } from "./query-params";
import { z } from "zod";
import { AUDIT_ACTION_CODES, AUDIT_OBJECT_TYPES, type AuditAction, type AuditObjectType } from "../audit/actions";

function firstNonEmpty(value: unknown): unknown {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === "string" && v.trim() === "" ? undefined : v;
}
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(firstNonEmpty, schema.optional());

const ZDay = z.iso
  .date({ message: "A date as YYYY-MM-DD" })
  .refine((day) => day >= "1970-01-01" && day <= "2999-12-31" && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day), "Not a valid date");
const ZCursor = z.string().regex(/^\d{1,18}$/, "Not a valid position in the log");

const filterShape = {
  /** The acting user's or API key's id. */
  actor: optional(z.uuid({ message: "Not a valid id" })),
  action: optional(z.enum(AUDIT_ACTION_CODES as [AuditAction, ...AuditAction[]], { message: "Not an audited action" })),
  object: optional(z.enum(AUDIT_OBJECT_TYPES as unknown as [AuditObjectType, ...AuditObjectType[]], { message: "Not an object type" })),
  objectId: optional(z.string().max(64).regex(/^[A-Za-z0-9-]+$/, "Not a valid id")),
  from: optional(ZDay),
  to: optional(ZDay),
};
const datesInOrder: [(f: { from?: string; to?: string }) => boolean, { message: string; path: string[] }] = [
  (f) => !f.from || !f.to || f.from <= f.to,
  { message: "The start date is after the end date", path: ["to"] },
];

export const ZAuditFilters = z.object(filterShape).refine(...datesInOrder);
export type TAuditFilters = z.infer<typeof ZAuditFilters>;

export const ZAuditParams = z.object({ ...filterShape, before: optional(ZCursor), after: optional(ZCursor) }).refine(...datesInOrder);
export type TAuditParams = z.infer<typeof ZAuditParams>;

/** For the page: a malformed parameter is dropped on its own. */
export function parseAuditParams(raw: Record<string, unknown>): TAuditParams {
  return parseEachParam<TAuditParams>(ZAuditParams.shape, raw);
}

export function auditQuery(params: Partial<TAuditParams>): string {
  return toQueryString(params);
}
