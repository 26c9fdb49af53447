/**
 * A click on a tracked link (docs/tracking.md). Public: the signed token is
 * the authorization, and it names a send and a link index, never a URL. The
 * redirect goes only to the URL stored for that link when the message was
 * sent, so this is no open redirect; a forged, altered or unknown token gets
 * a calm page and records nothing. Machine clicks (scanners, HEAD requests)
 * still redirect, but are recorded as machine traffic.
 */
import { now } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { classifyRequest } from "@/lib/tracking/classify";
import { recordVisit } from "@/lib/tracking/record";
import { invalidLinkPage, unavailablePage } from "@/lib/tracking/responses";
import { trackableUrl } from "@/lib/tracking/rewrite-links";
import { verifyClickToken } from "@/lib/tracking/token";

type Context = { params: Promise<{ token: string }> };

export async function GET(request: Request, { params }: Context): Promise<Response> {
  const { token } = await params;
  const ref = verifyClickToken(token);
  if (!ref) return invalidLinkPage();
  const at = now();
  const userAgent = request.headers.get("user-agent");
  // What the request alone says; the recording statement adds the send-time rule (too_fast).
  // No address: only the open pixel's Apple check reads one.
  const classification = classifyRequest({ kind: "click", method: request.method, userAgent, sentAt: null, now: at });
  let visit;
  try {
    visit = await recordVisit(getDb(), { type: "click", sendId: ref.sendId, linkIndex: ref.index, classification, userAgent, at });
  } catch (error) {
    console.error("[tracking] click not recorded", error);
    return unavailablePage();
  }
  // Stored from our own message, and checked again: only ever an http(s) URL.
  const destination = visit?.url ? trackableUrl(visit.url) : null;
  if (!destination) return invalidLinkPage();
  return new Response(null, { status: 302, headers: { Location: destination, "Cache-Control": "no-store, private", "Referrer-Policy": "no-referrer" } });
}

export const HEAD = GET;
