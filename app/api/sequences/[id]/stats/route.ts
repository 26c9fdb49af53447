import { NextResponse } from "next/server";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { httpStatusFor, isAppError } from "@/lib/errors";
import { getSequenceStats } from "@/lib/sequences/stats";
import { ZId } from "@/lib/validations/enrollment";

// Polled by the builder's stats panel: always fresh, never cached.
export const dynamic = "force-dynamic";

const NO_STORE = { "Cache-Control": "no-store" };

function errorResponse(code: Parameters<typeof httpStatusFor>[0], message: string) {
  return NextResponse.json({ error: { code, message } }, { status: httpStatusFor(code), headers: NO_STORE });
}

/** GET /api/sequences/:id/stats: per-step and exit counts for a signed-in user. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    await requireUser("viewer");
    const { id } = await params;
    if (!ZId.safeParse(id).success) return errorResponse("not_found", "Sequence not found.");
    const stats = await getSequenceStats(getDb(), id);
    return NextResponse.json(stats, { headers: NO_STORE });
  } catch (error) {
    if (isAppError(error)) return errorResponse(error.code, error.message);
    console.error("[api] sequence stats failed", error);
    return NextResponse.json({ error: { code: "internal", message: "Something went wrong." } }, { status: 500, headers: NO_STORE });
  }
}
