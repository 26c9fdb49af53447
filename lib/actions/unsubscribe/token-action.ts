/**
 * The wrapper of the public unsubscribe page's actions: there is no user, so
 * the signed token in the link is re-verified on every call. It validates the
 * input, rate limits per IP and per token (in the database), and turns
 * failures into values, like authedAction does for the admin.
 */
import { z } from "zod";
import { now } from "../../clock";
import { getDb, type Db } from "../../db/client";
import { unsubscribeLinkKey, verifyUnsubscribeToken } from "../../email/unsubscribe-token";
import { isAppError, type AppErrorCode } from "../../errors";
import { rateLimit, RATE_LIMITS } from "../../security/rate-limit";

export type RequestMeta = { ip: string; userAgent?: string; actor?: { id: string; email: string } };
export type VerifiedLink = { contactId: string; messageRef?: string };

export type PublicActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; code: AppErrorCode | "invalid_link" | "internal"; message: string };

export const ZTokenInput = z.object({ token: z.string().min(1).max(1024) });

const INVALID_LINK = { ok: false, code: "invalid_link", message: "This link is not valid any more." } as const;
const RATE_LIMITED = { ok: false, code: "rate_limited", message: "Too many attempts. Please wait a few minutes and try again." } as const;

export function tokenAction<T>(handler: (link: VerifiedLink, ctx: { db: Db; meta: RequestMeta }) => Promise<T>) {
  return async (input: unknown, meta: RequestMeta, db: Db = getDb()): Promise<PublicActionResult<T>> => {
    try {
      const parsed = ZTokenInput.safeParse(input);
      if (!parsed.success) return INVALID_LINK;
      const { token } = parsed.data;

      // Verified before counting: invalid links have their own bucket, so
      // garbage cannot lock real recipients out of their own links.
      const verified = verifyUnsubscribeToken(token, { now: now() });
      if (!verified.ok) {
        const invalid = await rateLimit(db, { key: `unsubscribe-page:invalid:${meta.ip}`, ...RATE_LIMITS.unsubscribePageInvalidIp });
        return invalid.allowed ? INVALID_LINK : RATE_LIMITED;
      }
      const byIp = await rateLimit(db, { key: `unsubscribe-page:ip:${meta.ip}`, ...RATE_LIMITS.unsubscribePageIp });
      if (!byIp.allowed) return RATE_LIMITED;
      const byLink = await rateLimit(db, { key: `unsubscribe-page:link:${unsubscribeLinkKey(verified.payload)}`, ...RATE_LIMITS.unsubscribePageToken });
      if (!byLink.allowed) return RATE_LIMITED;

      const link = { contactId: verified.payload.contactId, messageRef: verified.payload.messageRef };
      return { ok: true, data: await handler(link, { db, meta }) };
    } catch (error) {
      if (isAppError(error)) return error.code === "not_found" ? INVALID_LINK : { ok: false, code: error.code, message: error.message };
      console.error("[unsubscribe] page action failed", error);
      return { ok: false, code: "internal", message: "Something went wrong. Please try again." };
    }
  };
}
