/**
 * Pacing at claim time: the daily cap of a sequence and the per-sender rate,
 * both kept in the database so they survive restarts (docs/schedules.md,
 * "Pacing"). Called by the send claim (lib/sequences/run-step.ts) inside its
 * transaction, after the contact and the enrollment are locked and every
 * other check passed, and only for a fresh claim (never a retry of a send
 * already counted). A refusal holds the step: the enrollment's due time moves
 * to when it may go, the timeline says "held", and the run waits until then.
 */
import "server-only";
import type { Tx } from "../db/prisma";
import { mailConfig } from "../email/config";
import { localDay, planNextSend, resolveZone, startOfNextLocalDay } from "../schedule";
import { canonicalZone } from "../schedule/zone";
import { rulesOf } from "../sequences/versions/load";
import { sendRatePerMinute, slotSpacingMs } from "./rate";

export type PaceReason = "daily_cap" | "send_rate";
export type Pace = { kind: "go" } | { kind: "held"; reason: PaceReason; until: Date };

type Row = { dailyCap: number | null; sequenceZone: string; schedule: unknown; contactZone: string | null; sendSlotAt: Date | null; contactId: string };

export async function paceSend(tx: Tx, input: { enrollmentId: string; sequenceId: string; stepId: string; at: Date }): Promise<Pace> {
  const { enrollmentId, sequenceId, stepId, at } = input;
  const [row] = await tx.$queryRaw<Row[]>`
    SELECT s."dailyCap", s."timezone" AS "sequenceZone", s."schedule", c."timezone" AS "contactZone", e."sendSlotAt", e."contactId"
    FROM "Enrollment" e JOIN "Sequence" s ON s."id" = e."sequenceId" JOIN "Contact" c ON c."id" = e."contactId"
    WHERE e."id" = ${enrollmentId}`;
  const rate = sendRatePerMinute();
  if (row.dailyCap === null && rate === null && row.sendSlotAt === null) return { kind: "go" };
  const hold = (reason: PaceReason, until: Date) => holdStep(tx, { ...input, contactId: row.contactId, reason, until });

  // A slot reserved earlier: wait for it; once reached, it is this send's.
  if (row.sendSlotAt !== null && row.sendSlotAt.getTime() > at.getTime()) return { kind: "held", reason: "send_rate", until: row.sendSlotAt };
  const haveSlot = row.sendSlotAt !== null;

  const zone = canonicalZone(row.sequenceZone) ?? "UTC";
  const day = localDay(at, zone);
  if (row.dailyCap !== null) {
    // Counted and checked in one statement: the row lock serialises concurrent claims of the sequence.
    const [counted] = await tx.$queryRaw<{ sends: number }[]>`
      INSERT INTO "SequenceDaySends" ("sequenceId", "day", "sends") VALUES (${sequenceId}, ${day}, 1)
      ON CONFLICT ("sequenceId", "day") DO UPDATE SET "sends" = "SequenceDaySends"."sends" + 1
      WHERE "SequenceDaySends"."sends" < ${row.dailyCap}::int
      RETURNING "sends"`;
    if (!counted) {
      const rules = rulesOf({ schedule: row.schedule, timezone: zone });
      const opening = planNextSend({
        from: startOfNextLocalDay(at, zone),
        delay: { amount: 0, unit: "minutes" },
        ...rules,
        zone: resolveZone(row.contactZone, zone).zone,
        now: at,
      }).at;
      return hold("daily_cap", opening);
    }
  }

  if (rate !== null && !haveSlot) {
    const slot = await reserveSlot(tx, at, rate);
    if (slot.getTime() > at.getTime()) {
      // Not this time: give back today's count (the row is still locked by this transaction).
      if (row.dailyCap !== null) {
        await tx.$executeRaw`UPDATE "SequenceDaySends" SET "sends" = "sends" - 1 WHERE "sequenceId" = ${sequenceId} AND "day" = ${day}`;
      }
      await tx.$executeRaw`UPDATE "Enrollment" SET "sendSlotAt" = ${slot} WHERE "id" = ${enrollmentId}`;
      return hold("send_rate", slot);
    }
  }
  if (haveSlot) await tx.$executeRaw`UPDATE "Enrollment" SET "sendSlotAt" = NULL WHERE "id" = ${enrollmentId}`;
  return { kind: "go" };
}

/** slot = max(now, last slot + spacing), reserved in one statement on the sender's row. */
async function reserveSlot(tx: Tx, at: Date, perMinute: number): Promise<Date> {
  const sender = mailConfig().from;
  const spacing = slotSpacingMs(perMinute);
  const [row] = await tx.$queryRaw<{ lastSlotAt: Date }[]>`
    INSERT INTO "SendPace" ("sender", "lastSlotAt") VALUES (${sender}, ${at})
    ON CONFLICT ("sender") DO UPDATE
      SET "lastSlotAt" = GREATEST(EXCLUDED."lastSlotAt", "SendPace"."lastSlotAt" + make_interval(secs => ${spacing}::int / 1000.0))
    RETURNING "lastSlotAt"`;
  return row.lastSlotAt;
}

/**
 * Moves the enrollment's due time to `until` and says so on the timeline,
 * once per hold (a run woken early by a publish and held again to the same
 * moment adds no second line).
 */
async function holdStep(
  tx: Tx,
  input: { enrollmentId: string; sequenceId: string; stepId: string; contactId: string; reason: PaceReason; until: Date; at: Date },
): Promise<Pace> {
  const { enrollmentId, sequenceId, stepId, contactId, reason, until, at } = input;
  const data = JSON.stringify({ until: until.toISOString() });
  await tx.$executeRaw`UPDATE "Enrollment" SET "nextStepDueAt" = ${until}, "updatedAt" = ${at} WHERE "id" = ${enrollmentId}`;
  await tx.$executeRaw`
    INSERT INTO "EnrollmentEvent" ("type", "contactId", "sequenceId", "enrollmentId", "stepId", "reason", "data", "createdAt")
    SELECT 'step_held', ${contactId}, ${sequenceId}, ${enrollmentId}, ${stepId}, ${reason}, ${data}::jsonb, ${at}
    WHERE NOT EXISTS (
      SELECT 1 FROM "EnrollmentEvent" WHERE "contactId" = ${contactId} AND "enrollmentId" = ${enrollmentId} AND "type" = 'step_held'
        AND "stepId" = ${stepId} AND "reason" = ${reason} AND "data"->>'until' = ${until.toISOString()})`;
  return { kind: "held", reason, until };
}
