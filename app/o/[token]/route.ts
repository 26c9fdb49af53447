/**
 * The open pixel (docs/tracking.md). Public: the signed token names the send.
 * Always answers the image, so a mail client shows nothing odd; a forged or
 * unknown token gets it with a 404 and records nothing. Machine fetches
 * (Apple Mail Privacy Protection, bots, HEAD) are recorded apart.
 */
import { now } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { clientAddress } from "@/lib/security/client-address";
import { classifyRequest } from "@/lib/tracking/classify";
import { recordVisit } from "@/lib/tracking/record";
import { pixel } from "@/lib/tracking/responses";
import { verifyOpenToken } from "@/lib/tracking/token";

type Context = { params: Promise<{ token: string }> };

export async function GET(request: Request, { params }: Context): Promise<Response> {
  const { token } = await params;
  const sendId = verifyOpenToken(token);
  if (!sendId) return pixel(404, request.method);
  const at = now();
  const userAgent = request.headers.get("user-agent");
  const classification = classifyRequest({ kind: "open", method: request.method, userAgent, ip: clientAddress(request.headers), sentAt: null, now: at });
  try {
    const visit = await recordVisit(getDb(), { type: "open", sendId, classification, userAgent, at });
    if (!visit) return pixel(404, request.method);
  } catch (error) {
    console.error("[tracking] open not recorded", error);
  }
  return pixel(200, request.method);
}

export const HEAD = GET;
