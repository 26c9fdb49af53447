import { timingSafeEqual } from "node:crypto";
import { now as currentTime } from "../clock";
import type { Db } from "../db/prisma";
import { API_KEY_PATTERN, hashApiKey } from "./key-format";

export type ApiPrincipal = { apiKeyId: string; name: string };

/** lastUsedAt is for humans; writing it on every request would make each read a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The key behind an `Authorization: Bearer <key>` header, or null when the
 * header is missing or malformed, or the key is unknown or revoked.
 */
export async function authenticateApiKey(db: Db, header: string | null | undefined): Promise<ApiPrincipal | null> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  if (!match || !API_KEY_PATTERN.test(match[1])) return null;
  const hash = hashApiKey(match[1]);

  const key = await db.apiKey.findUnique({ where: { hash }, select: { id: true, name: true, hash: true, revokedAt: true } });
  // The lookup is by hash, so its timing reveals nothing useful about the key;
  // the comparison guards against a lookup that matched loosely.
  if (!key || !timingSafeEqual(Buffer.from(key.hash, "hex"), Buffer.from(hash, "hex"))) return null;
  if (key.revokedAt) return null;

  const now = currentTime();
  await db.apiKey.updateMany({
    where: { id: key.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - LAST_USED_RESOLUTION_MS) } }] },
    data: { lastUsedAt: now },
  });
  return { apiKeyId: key.id, name: key.name };
}
