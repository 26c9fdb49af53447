/**
 * Public signup: no authentication, a per-IP rate limit, and the same 202
 * for every valid request, so the answer never tells whether an email is
 * already known.
 */
import { getDb } from "@/lib/db/client";
import { publicSignUp } from "@/lib/contacts/signup";
import { BODY_LIMITS, readJsonBody } from "@/lib/security/body";
import { clientAddress } from "@/lib/security/client-address";
import { tooManyRequests } from "@/lib/security/rate-limit";

const NO_STORE = { "Cache-Control": "no-store" };

export async function POST(request: Request): Promise<Response> {
  const read = await readJsonBody(request, BODY_LIMITS.signup);
  if (!read.ok) return read.response;
  try {
    const result = await publicSignUp(getDb(), { body: read.value, ip: clientAddress(request.headers), userAgent: request.headers.get("user-agent") });
    if (result.ok) return Response.json({ ok: true }, { status: 202, headers: NO_STORE });
    if (result.code === "rate_limited") return tooManyRequests({ allowed: false, retryAfterSeconds: result.retryAfterSeconds });
    return Response.json(
      { error: { code: "validation", message: "Please correct the highlighted fields.", fieldErrors: result.fieldErrors } },
      { status: 422, headers: NO_STORE },
    );
  } catch (error) {
    console.error("[signup] unexpected error", error);
    return Response.json({ error: { code: "internal", message: "Something went wrong. Please try again." } }, { status: 500, headers: NO_STORE });
  }
}
