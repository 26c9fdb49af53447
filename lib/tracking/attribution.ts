/**
 * Attributing an unsubscribe, a reply or a bounce to the message that
 * caused it (the StepSend): the first of each kind per send adds a
 * SendEngagement row and +1 to its step's counter, in one statement. Only a
 * sent message of that very contact is credited: a token or a header naming
 * someone else's message credits nothing. Works inside the caller's
 * transaction, so it commits or rolls back with the change it attributes.
 */
import "server-only";
import type { Db, Tx } from "../db/prisma";
import { counterDay } from "./record";

export type OutcomeKind = "replied" | "unsubscribed" | "bounced";

export async function attributeToSend(db: Db | Tx, input: { sendId: string; contactId: string; kind: OutcomeKind; at: Date }): Promise<boolean> {
  const [row] = await db.$queryRaw<{ n: number }[]>`
    WITH s AS (
      SELECT ss."id", ss."stepId", e."sequenceId" FROM "StepSend" ss JOIN "Enrollment" e ON e."id" = ss."enrollmentId"
      WHERE ss."id" = ${input.sendId} AND e."contactId" = ${input.contactId} AND ss."status" = 'sent'
    ), first AS (
      INSERT INTO "SendEngagement" ("sendId", "kind", "at") SELECT s."id", ${input.kind}, ${input.at} FROM s
      ON CONFLICT DO NOTHING
      RETURNING "sendId"
    ), counted AS (
      INSERT INTO "EngagementCounter" ("sequenceId", "stepId", "day", "kind", "delta")
      SELECT s."sequenceId", s."stepId", ${counterDay(input.at)}::date, ${input.kind}, 1 FROM s JOIN first ON first."sendId" = s."id"
    )
    SELECT count(*)::int AS "n" FROM first`;
  return row.n === 1;
}

/** The contact's most recently sent message: what a bounce report without a Message-ID is about. */
export async function latestSendOf(db: Db | Tx, contactId: string): Promise<string | null> {
  const [row] = await db.$queryRaw<{ id: string }[]>`
    SELECT ss."id" FROM "StepSend" ss JOIN "Enrollment" e ON e."id" = ss."enrollmentId"
    WHERE e."contactId" = ${contactId} AND ss."status" = 'sent'
    ORDER BY ss."sentAt" DESC NULLS LAST LIMIT 1`;
  return row?.id ?? null;
}

/**
 * attributeToSend for several (send, contact) pairs of one kind in one
 * statement (a batch of replies read from the mailbox): the same rows, the
 * same "first of each kind per send" rule. The sends newly credited.
 */
export async function attributeToSends(db: Db | Tx, inputs: { sendId: string; contactId: string }[], kind: OutcomeKind, at: Date): Promise<Set<string>> {
  if (inputs.length === 0) return new Set();
  const rows = await db.$queryRaw<{ sendId: string }[]>`
    WITH s AS (
      SELECT DISTINCT ss."id", ss."stepId", e."sequenceId"
      FROM unnest(${inputs.map((i) => i.sendId)}::text[], ${inputs.map((i) => i.contactId)}::text[]) AS i("sendId", "contactId")
      JOIN "StepSend" ss ON ss."id" = i."sendId" JOIN "Enrollment" e ON e."id" = ss."enrollmentId" AND e."contactId" = i."contactId"
      WHERE ss."status" = 'sent'
    ), first AS (
      INSERT INTO "SendEngagement" ("sendId", "kind", "at") SELECT s."id", ${kind}, ${at} FROM s
      ON CONFLICT DO NOTHING
      RETURNING "sendId"
    ), counted AS (
      INSERT INTO "EngagementCounter" ("sequenceId", "stepId", "day", "kind", "delta")
      SELECT s."sequenceId", s."stepId", ${counterDay(at)}::date, ${kind}, 1 FROM s JOIN first ON first."sendId" = s."id"
    )
    SELECT "sendId" FROM first`;
  return new Set(rows.map((r) => r.sendId));
}
