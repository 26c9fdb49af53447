import "server-only";
import { requirePageUser } from "../auth/session";
import { getDb } from "../db/client";
import { listApiKeys, type ApiKeySummary } from "./manage";

/** API keys for the settings page; admins only. */
export async function listApiKeysForAdmin(): Promise<ApiKeySummary[]> {
  await requirePageUser("admin");
  return listApiKeys(getDb());
}
