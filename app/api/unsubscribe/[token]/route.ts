/**
 * RFC 8058 one-click unsubscribe: mailbox providers POST
 * "List-Unsubscribe=One-Click" to the URL in the List-Unsubscribe header.
 * No cookie, no page: the signed token is the authorization. GET never
 * unsubscribes (link scanners follow links); it points to the page.
 */
import { now } from "@/lib/clock";
import { unsubscribeContact } from "@/lib/contacts/unsubscribe";
import { getDb } from "@/lib/db/client";
import { unsubscribeLinkKey, verifyUnsubscribeToken } from "@/lib/email/unsubscribe-token";
import { isAppError } from "@/lib/errors";
import { clientAddress } from "@/lib/security/client-address";
import { rateLimit, RATE_LIMITS, tooManyRequests } from "@/lib/security/rate-limit";

type Context = { params: Promise<{ token: string }> };

const INVALID_LINK = { error: { code: "invalid_link", message: "This unsubscribe link is not valid any more." } };

export async function POST(request: Request, { params }: Context): Promise<Response> {
  const { token } = await params;
  const db = getDb();
  const ip = clientAddress(request.headers);
  try {
    // The token is checked first (no database work) so that invalid links
    // count in their own bucket and cannot use up the valid links' limits.
    const verified = verifyUnsubscribeToken(token, { now: now() });
    if (!verified.ok) {
      const invalid = await rateLimit(db, { key: `one-click:invalid:${ip}`, ...RATE_LIMITS.oneClickInvalidIp });
      return invalid.allowed ? Response.json(INVALID_LINK, { status: 400 }) : tooManyRequests(invalid);
    }
    const byIp = await rateLimit(db, { key: `one-click:ip:${ip}`, ...RATE_LIMITS.oneClickIp });
    if (!byIp.allowed) return tooManyRequests(byIp);
    const byLink = await rateLimit(db, { key: `one-click:link:${unsubscribeLinkKey(verified.payload)}`, ...RATE_LIMITS.oneClickToken });
    if (!byLink.allowed) return tooManyRequests(byLink);

    // The body is "List-Unsubscribe=One-Click" by the RFC; any body is accepted.
    const { outcome } = await unsubscribeContact(db, {
      contactId: verified.payload.contactId,
      messageRef: verified.payload.messageRef,
      source: "one_click",
      ip,
      userAgent: request.headers.get("user-agent") ?? undefined,
    });
    return Response.json({ ok: true, status: "unsubscribed", changed: outcome === "unsubscribed" });
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") return Response.json(INVALID_LINK, { status: 400 });
    console.error("[unsubscribe] one-click failed", error);
    return Response.json({ error: { code: "internal", message: "Something went wrong. Please try again." } }, { status: 500 });
  }
}

export async function GET(_request: Request, { params }: Context): Promise<Response> {
  const { token } = await params;
  const page = `/unsubscribe/${encodeURIComponent(token)}`;
  return Response.json(
    { error: { code: "method_not_allowed", message: `This address only accepts one-click POST requests. To unsubscribe in a browser, open ${page}.`, page } },
    { status: 405, headers: { Allow: "POST" } },
  );
}
