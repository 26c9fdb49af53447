import "server-only";
import { headers } from "next/headers";
import { clientAddress } from "../../security/client-address";
import type { RequestMeta } from "./token-action";

/** The caller's IP and user agent, recorded with consent changes. */
export async function requestMeta(): Promise<RequestMeta> {
  const h = await headers();
  return { ip: clientAddress(h), userAgent: h.get("user-agent")?.slice(0, 500) ?? undefined };
}
