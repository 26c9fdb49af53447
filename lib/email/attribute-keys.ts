import "server-only";
/**
 * The custom attribute keys contacts have, one per attribute: spellings that
 * differ only in case are one key, written as most contacts have it. The
 * builder's picker, the save-time tag check and the importer read this.
 */
import type { Db, Tx } from "../db/prisma";
import { keyIdentity } from "./merge-tags";

export type AttributeKey = { key: string; contacts: number };

/** Each attribute key in use (canonical spelling) and how many contacts have it, by key. */
export async function listAttributeKeys(db: Db | Tx): Promise<AttributeKey[]> {
  const rows = await db.$queryRaw<{ key: string; contacts: number }[]>`
    SELECT k AS "key", count(*)::int AS "contacts"
    FROM "Contact" c, jsonb_object_keys(CASE WHEN jsonb_typeof(c."attributes") = 'object' THEN c."attributes" ELSE '{}'::jsonb END) k
    WHERE c."deletedAt" IS NULL
    GROUP BY k`;
  const byIdentity = new Map<string, { key: string; top: number; contacts: number }>();
  for (const row of rows) {
    const id = keyIdentity(row.key);
    const entry = byIdentity.get(id);
    if (!entry) byIdentity.set(id, { key: row.key, top: row.contacts, contacts: row.contacts });
    else {
      entry.contacts += row.contacts;
      // The spelling most contacts have wins; a tie goes to the one that sorts last ("plan" over "Plan"), so the choice is stable.
      if (row.contacts > entry.top || (row.contacts === entry.top && row.key > entry.key)) Object.assign(entry, { key: row.key, top: row.contacts });
    }
  }
  return [...byIdentity.values()].map(({ key, contacts }) => ({ key, contacts })).sort((a, b) => a.key.localeCompare(b.key, "en"));
}

/** key identity -> the canonical spelling of that key. */
export async function canonicalKeyMap(db: Db | Tx): Promise<Map<string, string>> {
  return new Map((await listAttributeKeys(db)).map(({ key }) => [keyIdentity(key), key]));
}
