import { exportActivityCsv } from "@/lib/activity/activity-log";
import { requireUser } from "@/lib/auth/session";
import { userActor } from "@/lib/audit/actor";
import { recordAccess } from "@/lib/audit/audited";
import { csvDownload } from "@/lib/api/csv-download";
import { getDb } from "@/lib/db/client";
import { httpStatusFor, isAppError } from "@/lib/errors";
import { ZActivityFilters } from "@/lib/validations/activity";
import { fieldErrorsOf } from "@/lib/validations/parse";

export const dynamic = "force-dynamic";

function jsonError(status: number, code: string, message: string, fieldErrors?: Record<string, string[]>) {
  return Response.json({ error: { code, message, ...(fieldErrors ? { fieldErrors } : {}) } }, { status, headers: { "Cache-Control": "no-store" } });
}

/** Downloads the activity log matching the page's filters (same query parameters) as CSV. */
export async function GET(request: Request) {
  let user;
  try {
    user = await requireUser("viewer");
  } catch (error) {
    if (isAppError(error)) return jsonError(httpStatusFor(error.code), error.code, error.message);
    throw error;
  }

  // Strict, unlike the page: a filter silently dropped would export more than was asked for.
  const params = ZActivityFilters.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!params.success) return jsonError(400, "validation", "Invalid filters.", fieldErrorsOf(params.error));

  await recordAccess(getDb(), await userActor(user), "activity.export", new URL(request.url).search.slice(0, 2000) || "all");
  const chunks = exportActivityCsv(getDb(), params.data);
  return csvDownload(chunks, "activity");
}
