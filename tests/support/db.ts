import { createPrismaClient, type Db } from "../../lib/db/prisma";
import { testDatabaseUrl } from "./database-url";

let db: Db | undefined;

/** A Prisma client on the test database (created once per test file). */
export function testDb(): Db {
  db ??= createPrismaClient(testDatabaseUrl(), { poolSize: 25 });
  return db;
}

const TABLES = ["WebhookAttempt", "WebhookDelivery", "WebhookEvent", "WebhookEndpoint", "StepTemplate", "Snippet", "SendPace", "SequenceDaySends", "TrackingEvent", "SendEngagement", "EngagementCounter", "EngagementTotal", "TrackedLink", "AuditEvent", "UserToken", "InstallationMarker", "WebhookReplay", "PendingSignup", "ConsentEvent", "InboundReply", "ApiKey", "RateLimit", "CaughtMessage", "SkippedStep", "EnrollmentEvent", "StepSend", "Enrollment", "SequenceTrigger", "SequenceStep", "Sequence", "Mailbox", "Sender", "ContactTag", "Tag", "Contact", "User"];

/** Empties every table (TRUNCATE bypasses the event log's no-DELETE trigger). */
export async function resetDb(client: Db = testDb()): Promise<void> {
  await client.$executeRawUnsafe(`TRUNCATE ${TABLES.map((t) => `"${t}"`).join(", ")} RESTART IDENTITY CASCADE`);
}

/**
 * Resolves once `count` queries on the test database are waiting for a lock:
 * how a test knows a concurrent call has reached the statement it blocks on.
 */
export async function waitForLockWaiters(count: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [{ n }] = await testDb().$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if (n >= count) return;
    if (Date.now() > deadline) throw new Error(`no query waited for a lock within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
