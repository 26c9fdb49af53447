/**
 * The audit log's filters and cursor, as URL query parameters: shared by the
 * Settings → Audit log page (a malformed value is dropped on its own) and
 * its CSV export (strict).
 */
import { datesInOrder, optionalParam, parseEachParam, toQueryString, ZDay, ZLogCursor } from "./query-params";
import { z } from "zod";
import { AUDIT_ACTION_CODES, AUDIT_OBJECT_TYPES, type AuditAction, type AuditObjectType } from "../audit/actions";

const filterShape = {
  /** The acting user's or API key's id. */
  actor: optionalParam(z.uuid({ message: "Not a valid id" })),
  action: optionalParam(z.enum(AUDIT_ACTION_CODES as [AuditAction, ...AuditAction[]], { message: "Not an audited action" })),
  object: optionalParam(z.enum(AUDIT_OBJECT_TYPES as unknown as [AuditObjectType, ...AuditObjectType[]], { message: "Not an object type" })),
  objectId: optionalParam(z.string().max(64).regex(/^[A-Za-z0-9-]+$/, "Not a valid id")),
  from: optionalParam(ZDay),
  to: optionalParam(ZDay),
};

export const ZAuditFilters = z.object(filterShape).refine(...datesInOrder);
export type TAuditFilters = z.infer<typeof ZAuditFilters>;

export const ZAuditParams = z.object({ ...filterShape, before: optionalParam(ZLogCursor), after: optionalParam(ZLogCursor) }).refine(...datesInOrder);
export type TAuditParams = z.infer<typeof ZAuditParams>;

/** For the page: a malformed parameter is dropped on its own. */
export function parseAuditParams(raw: Record<string, unknown>): TAuditParams {
  return parseEachParam<TAuditParams>(ZAuditParams.shape, raw);
}

export function auditQuery(params: Partial<TAuditParams>): string {
  return toQueryString(params);
}
