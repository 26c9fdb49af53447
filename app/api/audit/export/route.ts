import { requireUser } from "@/lib/auth/session";
import { exportAuditCsv } from "@/lib/audit/queries";
import { csvDownload } from "@/lib/api/csv-download";
import { getDb } from "@/lib/db/client";
import { httpStatusFor, isAppError } from "@/lib/errors";
import { ZAuditFilters } from "@/lib/validations/audit";
import { fieldErrorsOf } from "@/lib/validations/parse";

export const dynamic = "force-dynamic";

function jsonError(status: number, code: string, message: string, fieldErrors?: Record<string, string[]>) {
  return Response.json({ error: { code, message, ...(fieldErrors ? { fieldErrors } : {}) } }, { status, headers: { "Cache-Control": "no-store" } });
}

/** Downloads the audit log matching the page's filters (same query parameters) as CSV. Admins only. */
export async function GET(request: Request) {
  try {
    await requireUser("admin");
  } catch (error) {
    if (isAppError(error)) return jsonError(httpStatusFor(error.code), error.code, error.message);
    throw error;
  }
  const params = ZAuditFilters.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!params.success) return jsonError(400, "validation", "Invalid filters.", fieldErrorsOf(params.error));
  return csvDownload(exportAuditCsv(getDb(), params.data), "audit-log");
}
