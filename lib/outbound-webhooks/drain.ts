import "server-only";
/**
 * Delivers what the outbox holds: claims due deliveries (a lease, the attempt
 * number and its log row committed before anything is sent), POSTs each
 * once, and records how it went and when the next attempt is due. Several
 * drains may run at once (SKIP LOCKED); an attempt whose process died while
 * in flight is found by its lease and recorded as abandoned, then tried
 * again. So each attempt is sent at most once, and every event is sent
 * until it succeeds or runs out of attempts.
 */
import { now as currentTime } from "../clock";
import type { Db } from "../db/prisma";
import { recordAudit } from "../audit/record";
import { postWebhook, type PostResult } from "./http-post";
import { ATTEMPT_LEASE_MS, ATTEMPT_TIMEOUT_MS, FAILING_DISABLE_AFTER_MS, nextAttemptAt } from "./retry-schedule";
import { signedHeaders } from "./signature";

const BATCH = 50;
const EXCERPT_CHARS = 500;
export const AUTO_DISABLE_REASON = "Every delivery failed for 24 hours";

type Claimed = { deliveryId: string; endpointId: string; eventId: string; number: number; lastAttempt: number; attemptId: bigint; url: string; secret: string; body: string };

export type DrainOptions = { limit?: number; timeoutMs?: number; send?: typeof postWebhook };

/** Delivers due attempts until none is due (or `limit` were made); returns counts and when the next one is due. */
export async function drainWebhooks(db: Db, options: DrainOptions = {}): Promise<{ attempted: number; succeeded: number; abandoned: number; nextDueAt: string | null }> {
  const limit = options.limit ?? 500;
  const abandoned = await recoverAbandonedAttempts(db);
  let attempted = 0;
  let succeeded = 0;
  while (attempted < limit) {
    const batch = await claimDue(db, Math.min(BATCH, limit - attempted));
    if (batch.length === 0) break;
    const results = await Promise.all(batch.map((c) => attempt(db, c, options)));
    attempted += batch.length;
    succeeded += results.filter(Boolean).length;
  }
  const next = await db.webhookDelivery.findFirst({ where: { status: "pending", endpoint: { disabledAt: null } }, orderBy: { nextAttemptAt: "asc" }, select: { nextAttemptAt: true } });
  return { attempted, succeeded, abandoned, nextDueAt: next?.nextAttemptAt?.toISOString() ?? null };
}

/** Claims up to `limit` due deliveries of enabled endpoints; each claim is an attempt row, committed before sending. */
async function claimDue(db: Db, limit: number): Promise<Claimed[]> {
  const now = currentTime();
  const lease = new Date(now.getTime() + ATTEMPT_LEASE_MS);
  return db.$queryRaw<Claimed[]>`
    WITH due AS (
      SELECT d."id" FROM "WebhookDelivery" d JOIN "WebhookEndpoint" w ON w."id" = d."endpointId"
      WHERE d."status" = 'pending' AND d."nextAttemptAt" <= ${now} AND w."disabledAt" IS NULL
      ORDER BY d."nextAttemptAt" LIMIT ${limit}
      FOR UPDATE OF d SKIP LOCKED
    ), claimed AS (
      UPDATE "WebhookDelivery" d SET "status" = 'delivering', "attempts" = d."attempts" + 1, "leaseUntil" = ${lease}, "nextAttemptAt" = NULL
      FROM due WHERE d."id" = due."id"
      RETURNING d."id", d."endpointId", d."eventId", d."attempts", d."lastAttempt"
    ), logged AS (
      INSERT INTO "WebhookAttempt" ("deliveryId", "number", "startedAt")
      SELECT c."id", c."attempts", ${now} FROM claimed c
      RETURNING "id", "deliveryId"
    )
    SELECT c."id" AS "deliveryId", c."endpointId", c."eventId", c."attempts" AS "number", c."lastAttempt", l."id" AS "attemptId",
           w."url", w."secret", e."payload"::text AS "body"
    FROM claimed c
    JOIN logged l ON l."deliveryId" = c."id"
    JOIN "WebhookEndpoint" w ON w."id" = c."endpointId"
    JOIN "WebhookEvent" e ON e."id" = c."eventId"`;
}

async function attempt(db: Db, claimed: Claimed, options: DrainOptions): Promise<boolean> {
  const send = options.send ?? postWebhook;
  const timestamp = Math.floor(currentTime().getTime() / 1000);
  let result: PostResult;
  try {
    result = await send(claimed.url, signedHeaders(claimed.secret, claimed.eventId, claimed.body, timestamp), claimed.body, options.timeoutMs ?? ATTEMPT_TIMEOUT_MS);
  } catch (error) {
    result = { statusCode: null, responseExcerpt: null, error: error instanceof Error ? error.message : String(error), durationMs: 0 };
  }
  await recordResult(db, claimed, result);
  return result.error === null;
}

/** Writes how attempt `claimed` went, unless its lease was taken over meanwhile (then that is recorded already). */
async function recordResult(db: Db, claimed: Claimed, result: PostResult): Promise<void> {
  const at = currentTime();
  const ok = result.error === null;
  const next = ok ? null : nextAttemptAt(claimed.number, claimed.lastAttempt, at);
  await db.$transaction(async (tx) => {
    const { count } = await tx.webhookDelivery.updateMany({
      where: { id: claimed.deliveryId, status: "delivering", attempts: claimed.number },
      data: ok
        ? { status: "succeeded", deliveredAt: at, leaseUntil: null, lastStatusCode: result.statusCode }
        : { status: next ? "pending" : "failed", nextAttemptAt: next, leaseUntil: null, lastStatusCode: result.statusCode },
    });
    if (count === 0) return;
    await tx.webhookAttempt.update({
      where: { id: claimed.attemptId },
      data: {
        statusCode: result.statusCode,
        responseExcerpt: result.responseExcerpt?.slice(0, EXCERPT_CHARS) ?? null,
        durationMs: result.durationMs,
        error: result.error?.slice(0, EXCERPT_CHARS) ?? null,
        nextAttemptAt: next,
        finishedAt: at,
      },
    });
    if (ok) {
      await tx.webhookEndpoint.updateMany({ where: { id: claimed.endpointId, failingSince: { not: null } }, data: { failingSince: null } });
      return;
    }
    await tx.webhookEndpoint.updateMany({ where: { id: claimed.endpointId, failingSince: null }, data: { failingSince: at } });
    await disableIfFailingForADay(tx as unknown as Db, claimed.endpointId, at);
  });
}

/** Disables an endpoint that has failed without a success for FAILING_DISABLE_AFTER_MS, and says so in the audit log. */
async function disableIfFailingForADay(tx: Db, endpointId: string, at: Date): Promise<void> {
  const cutoff = new Date(at.getTime() - FAILING_DISABLE_AFTER_MS);
  const { count } = await tx.webhookEndpoint.updateMany({
    where: { id: endpointId, disabledAt: null, failingSince: { lte: cutoff } },
    data: { disabledAt: at, disabledReason: AUTO_DISABLE_REASON },
  });
  if (count === 0) return;
  await tx.webhookDelivery.updateMany({ where: { endpointId, status: "pending" }, data: { status: "failed", nextAttemptAt: null } });
  const endpoint = await tx.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId }, select: { url: true } });
  await recordAudit(tx, { type: "system", id: "stepwise", label: "Stepwise" }, {
    action: "webhook.auto_disable",
    objectType: "webhook",
    objectId: endpointId,
    objectLabel: endpoint.url,
    before: { enabled: true },
    after: { enabled: false, disabledReason: AUTO_DISABLE_REASON },
  });
}

/** Attempts in flight past their lease: the process died mid-send. Recorded as abandoned; the delivery is tried again. */
async function recoverAbandonedAttempts(db: Db): Promise<number> {
  const now = currentTime();
  const stale = await db.webhookDelivery.findMany({ where: { status: "delivering", leaseUntil: { lt: now } }, select: { id: true, attempts: true, lastAttempt: true }, take: 500 });
  for (const d of stale) {
    const next = nextAttemptAt(d.attempts, d.lastAttempt, now);
    await db.$transaction(async (tx) => {
      const { count } = await tx.webhookDelivery.updateMany({
        where: { id: d.id, status: "delivering", attempts: d.attempts, leaseUntil: { lt: now } },
        data: { status: next ? "pending" : "failed", nextAttemptAt: next, leaseUntil: null },
      });
      if (count === 0) return;
      await tx.webhookAttempt.updateMany({
        where: { deliveryId: d.id, number: d.attempts, finishedAt: null },
        data: { error: "abandoned: the process stopped during the attempt (outcome unknown)", nextAttemptAt: next, finishedAt: now },
      });
    });
  }
  return stale.length;
}
