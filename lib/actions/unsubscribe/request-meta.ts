import "server-only";
import { headers } from "next/headers";
import { getCurrentUser } from "../../auth/session";
import { clientAddress } from "../../security/client-address";
import type { RequestMeta } from "./token-action";

/**
 * The caller's address and user agent, recorded with consent changes, and
 * the signed-in user if there is one: an admin pressing a contact's
 * unsubscribe button acts as themselves, not as the contact.
 */
export async function requestMeta(): Promise<RequestMeta> {
  const h = await headers();
  const user = await getCurrentUser();
  return {
    ip: clientAddress(h),
    userAgent: h.get("user-agent")?.slice(0, 500) ?? undefined,
    ...(user ? { actor: { id: user.id, email: user.email } } : {}),
  };
}
