import { exportActivityCsv } from "@/lib/activity/activity-log";
import { requireUser } from "@/lib/auth/session";
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
  try {
    await requireUser("viewer");
  } catch (error) {
    if (isAppError(error)) return jsonError(httpStatusFor(error.code), error.code, error.message);
    throw error;
  }

  // Strict, unlike the page: a filter silently dropped would export more than was asked for.
  const params = ZActivityFilters.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!params.success) return jsonError(400, "validation", "Invalid filters.", fieldErrorsOf(params.error));

  const chunks = exportActivityCsv(getDb(), params.data);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (error) {
        console.error("[export] activity export failed", error);
        controller.error(new Error("Export failed"));
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });

  const date = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="activity-${date}.csv"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
