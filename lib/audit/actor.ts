import "server-only";
import { headers } from "next/headers";
import type { ApiPrincipal } from "../api-keys/authenticate";
import type { CurrentUser } from "../auth/session";
import { clientAddress } from "../security/client-address";
import type { AuditActor } from "./record";

/** The signed-in user of the current request (server actions, route handlers) as an audit actor. */
export async function userActor(user: Pick<CurrentUser, "id" | "email">): Promise<AuditActor> {
  const h = await requestHeaders();
  return { type: "user", id: user.id, label: user.email, ip: h ? clientAddress(h) : null, userAgent: h?.get("user-agent") ?? null };
}

/** The request's headers; none when an action runs outside a request (a script, a test calling it directly). */
async function requestHeaders(): Promise<Headers | null> {
  try {
    return await headers();
  } catch {
    return null;
  }
}

/** The API key of a /api/v1 request as an audit actor. */
export function apiKeyActor(principal: ApiPrincipal, request: Request): AuditActor {
  return { type: "api_key", id: principal.apiKeyId, label: principal.name, ip: clientAddress(request.headers), userAgent: request.headers.get("user-agent") };
}
