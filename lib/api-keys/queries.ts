import "server-only";
import { requireUser } from "../auth/session";
import { getDb } from "../db/client";
import { listApiKeys, type ApiKeySummary } from "./manage";

/** API keys for the settings page; admins only. */
export async function listApiKeysForAdmin(): Promise<ApiKeySummary[]> {
  await requireUser("admin");
  return listApiKeys(getDb());
}
