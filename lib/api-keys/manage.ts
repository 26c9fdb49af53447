import { now as currentTime } from "../clock";
import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import { ZCreateApiKeyInput, ZRevokeApiKeyInput, type TCreateApiKeyInput } from "../validations/api-key";
import { parseOrThrow } from "../validations/parse";
import { displayPrefix, generateApiKey, hashApiKey } from "./key-format";

export type ApiKeySummary = {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

const SUMMARY_FIELDS = { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const;

/** Creates a key. The plaintext is returned this once; only its hash is stored. */
export async function createApiKey(db: Db, input: TCreateApiKeyInput): Promise<{ key: string; apiKey: ApiKeySummary }> {
  const { name, createdById } = parseOrThrow(ZCreateApiKeyInput, input);
  const key = generateApiKey();
  const apiKey = await db.apiKey.create({
    data: { name, createdById: createdById ?? null, prefix: displayPrefix(key), hash: hashApiKey(key), createdAt: currentTime() },
    select: SUMMARY_FIELDS,
  });
  return { key, apiKey };
}

/** Revokes a key at once; revoking a revoked key changes nothing. */
export async function revokeApiKey(db: Db, input: { id: string }): Promise<void> {
  const { id } = parseOrThrow(ZRevokeApiKeyInput, input);
  const key = await db.apiKey.findUnique({ where: { id }, select: { revokedAt: true } });
  if (!key) throw new AppError("not_found", "API key not found.");
  if (!key.revokedAt) await db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: currentTime() } });
}

/** Every key, newest first, without hashes. */
export async function listApiKeys(db: Db): Promise<ApiKeySummary[]> {
  return db.apiKey.findMany({ orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }], select: SUMMARY_FIELDS });
}
