import "server-only";
/**
 * Before activation: which tags without a fallback some contacts have no
 * value for, and how many ("Step 2: 12 of 44 have no company"). The
 * contacts counted are those who could be enrolled: every subscribed
 * contact, whatever the entry trigger (any of them can also be enrolled by
 * hand or through the API).
 */
import type { Tx } from "../db/prisma";
import { bodyTemplateText } from "../email/body-doc";
import { keyIdentity, keysWithoutFallback } from "../email/merge-tags";

export type MissingValue = { step: number; key: string; missing: number; total: number };

const BUILT_IN_COLUMN: Record<string, "firstName" | "lastName"> = { firstname: "firstName", lastname: "lastName" };

/** Contacts without a value for `key` (any case of it), among subscribed contacts. */
async function countMissing(tx: Tx, key: string): Promise<number> {
  const id = keyIdentity(key);
  if (id === "email") return 0;
  const column = BUILT_IN_COLUMN[id];
  const [row] = column
    ? await tx.$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "Contact" WHERE "status" = 'subscribed' AND "deletedAt" IS NULL AND coalesce(btrim("${column}"), '') = ''`,
      )
    : await tx.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM "Contact" c
        WHERE c."status" = 'subscribed' AND c."deletedAt" IS NULL
          AND NOT EXISTS (
            SELECT 1 FROM jsonb_each_text(CASE WHEN jsonb_typeof(c."attributes") = 'object' THEN c."attributes" ELSE '{}'::jsonb END) e
            WHERE lower(e.key) = ${id} AND btrim(e.value) <> '')`;
  return row.n;
}

/** Per live step (1-based) and tag without a fallback: the contacts lacking a value, when any do. */
export async function missingMergeValues(tx: Tx, sequenceId: string): Promise<MissingValue[]> {
  const steps = await tx.sequenceStep.findMany({ where: { sequenceId, deletedAt: null }, orderBy: { position: "asc" }, select: { subject: true, body: true } });
  const [{ total }] = await tx.$queryRaw<{ total: number }[]>`
    SELECT count(*)::int AS total FROM "Contact" WHERE "status" = 'subscribed' AND "deletedAt" IS NULL`;
  if (total === 0) return [];
  const counts = new Map<string, number>();
  const missing: MissingValue[] = [];
  for (const [index, step] of steps.entries()) {
    for (const key of keysWithoutFallback(`${step.subject}\n${bodyTemplateText(step.body)}`)) {
      const id = keyIdentity(key);
      if (!counts.has(id)) counts.set(id, await countMissing(tx, key));
      const n = counts.get(id)!;
      if (n > 0) missing.push({ step: index + 1, key, missing: n, total });
    }
  }
  return missing;
}

/** "Step 2: 12 of 44 have no company". */
export function describeMissingValue({ step, key, missing, total }: MissingValue): string {
  return `Step ${step}: ${missing.toLocaleString("en")} of ${total.toLocaleString("en")} ${missing === 1 ? "has" : "have"} no ${key}`;
}
